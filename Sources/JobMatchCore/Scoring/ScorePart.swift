import Foundation

/// One additive part of a candidate's score, with the reason in Vietnamese.
public struct ScorePart: Codable, Equatable, Sendable {
    public let key: String
    public let points: Int
    public let reason: String

    public init(key: String, points: Int, reason: String) {
        self.key = key
        self.points = points
        self.reason = reason
    }
}

extension ScorePart {
    /// Parts as a JSON array of `{"key","points","reason"}` objects, written directly (a batch
    /// writes one per proposal, and `JSONEncoder` took about 10 µs each); strings as `FlatJSON` writes them.
    public static func json(_ parts: [ScorePart]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + parts.count * 96)
        out.append(UInt8(ascii: "["))
        for (index, part) in parts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"key":"#.utf8)
            FlatJSON.appendString(part.key, to: &out)
            out.append(contentsOf: #","points":"#.utf8)
            out.append(contentsOf: String(part.points).utf8)
            out.append(contentsOf: #","reason":"#.utf8)
            FlatJSON.appendString(part.reason, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
