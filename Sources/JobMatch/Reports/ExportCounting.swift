import JobMatchCore

/// How an export counts a target's people: the target's basis and territory over its period
/// (`counted_for_target`), or, for a range no jobs target holds, the range's calendar years on the
/// yearly basis for everyone. The rows, the summary and the corrections all count through it, so a
/// file gives the progress report's number for the same question (docs/counting.md).
struct ExportCounting: Sendable {
    /// The target counted toward; nil: no target holds the range.
    let targetKey: String?
    let basis: CountingBasis
    let start: LocalDate
    let end: LocalDate

    /// The counted people up to `upTo` as recorded by the end of `asOf`, as a SQL row source
    /// written out whole (dates and the target's key are literals, for `CREATE TABLE AS`, which
    /// takes no parameters); `onlyWorkers` is a SQL expression for a `bigint[]` or nil for all.
    func source(upTo: LocalDate, asOf: LocalDate, abroad: Bool, onlyWorkers: String? = nil) -> String {
        let common =
            "'\(self.basis.rawValue)', '\(self.start.description)'::date, '\(upTo.description)'::date, "
            + "end_of_day('\(asOf.description)'::date), \(abroad), \(onlyWorkers ?? "NULL")"
        guard let key = self.targetKey else { return "counted_placements_on(\(common))" }
        return "counted_for_target(\(Self.literal(key)), \(common))"
    }

    /// `text` as a SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
