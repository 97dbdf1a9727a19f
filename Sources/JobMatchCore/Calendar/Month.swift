/// A calendar month, written `YYYY-MM`.
public struct Month: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: String) {
        guard text.count == 7, let first = LocalDate(text + "-01") else { return nil }
        self.year = first.year
        self.month = first.month
    }

    /// A month by number; nil outside 1...12.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), LocalDate(year: year, month: month, day: 1) != nil else { return nil }
        self.year = year
        self.month = month
    }

    /// Months since year 0 (for stepping and comparing).
    public var index: Int { self.year * 12 + self.month - 1 }

    public init(index: Int) {
        self.year = index / 12
        self.month = index % 12 + 1
    }

    public var previous: Month { Month(index: self.index - 1) }
    public var next: Month { Month(index: self.index + 1) }

    public var firstDay: LocalDate { LocalDate(year: self.year, month: self.month, day: 1)! }
    /// The first day of the next month (exclusive end).
    public var endExclusive: LocalDate { self.firstDay.startOfNextMonth }
    public var description: String { String(self.firstDay.description.prefix(7)) }
}
