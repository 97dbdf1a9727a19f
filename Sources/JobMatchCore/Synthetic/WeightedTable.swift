import Foundation

/// A fixed set of values with relative weights, drawn from in O(log n) with a seeded generator.
public struct WeightedTable<Value: Sendable>: Sendable {
    public let values: [Value]
    public let weights: [Double]
    private let cumulative: [Double]

    /// `entries` with their relative weights (any positive scale).
    public init(_ entries: [(Value, Double)]) {
        precondition(!entries.isEmpty && entries.allSatisfy { $0.1 > 0 })
        self.values = entries.map(\.0)
        self.weights = entries.map(\.1)
        var running = 0.0
        self.cumulative = self.weights.map {
            running += $0
            return running
        }
    }

    /// `values` ranked from most to least common, with Zipf weights 1 / rank^exponent.
    public static func zipf(_ values: [Value], exponent: Double) -> WeightedTable<Value> {
        WeightedTable(values.enumerated().map { ($0.element, 1 / pow(Double($0.offset + 1), exponent)) })
    }

    /// The share of the whole that the value at `index` gets.
    public func share(at index: Int) -> Double {
        self.weights[index] / self.cumulative[self.cumulative.count - 1]
    }

    /// One value, each with probability proportional to its weight.
    public func pick(using generator: inout SeededGenerator) -> Value {
        self.values[self.pickIndex(using: &generator)]
    }

    /// The index of one value, each with probability proportional to its weight.
    public func pickIndex(using generator: inout SeededGenerator) -> Int {
        let target = generator.unit() * self.cumulative[self.cumulative.count - 1]
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
