import JobMatchCore
import Logging
import PostgresNIO

/// What a placement export covers: a month (its counted placements, a summary, and corrections
/// to earlier months) or a whole plan period; always as it stood at the end of `asOf`.
public struct PlacementExportSpec: Sendable, Equatable {
    public enum Range: Sendable, Equatable {
        case month(Month)
        /// Calendar years `first` through `last` (a plan period such as 2021-2025).
        case years(first: Int, last: Int)
    }

    public let range: Range
    public let asOf: LocalDate
    /// Whole CCCD numbers (only for roles that may see them); masked otherwise.
    public let fullCCCD: Bool

    public init(range: Range, asOf: LocalDate, fullCCCD: Bool) {
        self.range = range
        self.asOf = asOf
        self.fullCCCD = fullCCCD
    }

    var firstDay: LocalDate {
        switch self.range {
        case .month(let month): month.firstDay
        case .years(let first, _): LocalDate(year: first, month: 1, day: 1)!
        }
    }

    var lastDay: LocalDate {
        switch self.range {
        case .month(let month): month.endExclusive.adding(days: -1)
        case .years(_, let last): LocalDate(year: last, month: 12, day: 31)!
        }
    }

    /// A name for files and audit entries: `placements-2026-11` or `placements-2021-2025`.
    public var name: String {
        switch self.range {
        case .month(let month): "placements-\(month)"
        case .years(let first, let last): "placements-\(first)-\(last)"
        }
    }

    /// Parses `YYYY-YYYY` (a period of whole years).
    public static func years(_ text: String) -> Range? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 }), let first = Int(parts[0]), let last = Int(parts[1]),
            first >= 2000, last <= 2100, first <= last
        else { return nil }
        return .years(first: first, last: last)
    }
}
