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

    public var firstDay: LocalDate { LocalDate(year: self.year, month: self.month, day: 1)! }
    /// The first day of the next month (exclusive end).
    public var endExclusive: LocalDate { self.firstDay.startOfNextMonth }
    public var description: String { String(self.firstDay.description.prefix(7)) }
}
