/// What a proposal is worth to the batch, compared in order: a slot filled, then a worker of a poor or
/// near-poor household, then the score. Exact integer arithmetic, so no weight can outgrow another:
/// `high` holds filled slots times 2^32 plus priority workers (far below 2^32 of them), `low` the score.
public struct Gain: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var high: Int64
    public var low: Int64

    public init(high: Int64, low: Int64) {
        self.high = high
        self.low = low
    }

    /// One proposal: a filled slot, the priority flag and the score.
    public init(priority: Bool, score: Int) {
        self.high = (1 << 32) + (priority ? 1 : 0)
        self.low = Int64(score)
    }

    public static let zero = Gain(high: 0, low: 0)
    public static let infinity = Gain(high: .max, low: .max)

    /// Filled slots in a sum of gains.
    public var slots: Int64 { (self.high + (1 << 31)) >> 32 }
    /// Priority workers in a sum of gains.
    public var priority: Int64 { self.high - (self.slots << 32) }

    public static func < (a: Gain, b: Gain) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    public static func + (a: Gain, b: Gain) -> Gain { Gain(high: a.high + b.high, low: a.low + b.low) }
    public static func - (a: Gain, b: Gain) -> Gain { Gain(high: a.high - b.high, low: a.low - b.low) }
    public static func += (a: inout Gain, b: Gain) { a = a + b }
    public static func -= (a: inout Gain, b: Gain) { a = a - b }

    public var description: String { "(\(self.slots) slots, \(self.priority) priority, \(self.low))" }
}
