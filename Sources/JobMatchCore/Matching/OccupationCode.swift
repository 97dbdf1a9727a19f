/// An ISCO/VSCO occupation code of 1 to 4 digits packed below 2^14 (the codes of each length after
/// those of the shorter lengths: 0-9, 10-109, 110-1109, 1110-11109), so the in-memory copy keeps a
/// worker's occupations in a few bytes and a flag bit to spare.
public struct OccupationCode: Hashable, Comparable, Sendable {
    public let raw: UInt16

    public init?(_ text: String) {
        let digits = Array(text.utf8)
        guard (1...4).contains(digits.count), digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        self.raw = UInt16(Self.offsets[digits.count] + value)
    }

    init(raw: UInt16) { self.raw = raw }

    static let offsets = [0, 0, 10, 110, 1110]

    public var length: Int { self.raw < 10 ? 1 : self.raw < 110 ? 2 : self.raw < 1110 ? 3 : 4 }
    var value: Int { Int(self.raw) - Self.offsets[self.length] }

    /// The first `levels` digits as a number (levels <= length).
    func prefix(_ levels: Int) -> Int {
        var value = self.value
        for _ in 0..<(self.length - levels) { value /= 10 }
        return value
    }

    /// The code of the group `levels` digits long containing this one.
    public func group(_ levels: Int) -> OccupationCode {
        OccupationCode(raw: UInt16(Self.offsets[levels] + self.prefix(levels)))
    }

    public var text: String {
        let digits = String(self.value)
        return String(repeating: "0", count: self.length - digits.count) + digits
    }

    /// How many leading levels two codes share (0 to 4), as `MatchingRules.sharedLevels` on their text.
    public func sharedLevels(_ other: OccupationCode) -> Int {
        var levels = 0
        for level in 1...min(self.length, other.length) {
            guard self.prefix(level) == other.prefix(level) else { break }
            levels = level
        }
        return levels
    }

    public static func < (a: OccupationCode, b: OccupationCode) -> Bool { a.raw < b.raw }
}
