import JobMatchCore
import Logging
import PostgresNIO

/// The summary section of a placement export: what it covers, each target's count in the range,
/// year to date and period to date against the plan, and the breakdowns the department asks
/// for. Counted by `counted_placements`, the same rule as the rows and the progress report.
struct PlacementExportSummary {
    let connection: PostgresConnection
    let logger: Logger
    let spec: PlacementExportSpec

    static let header = ["Mục", "Nội dung", "Trong kỳ báo cáo", "Lũy kế năm", "Lũy kế giai đoạn", "Kế hoạch giai đoạn", "Tỷ lệ % kế hoạch"]
    /// The breakdown rows' heading: they count the rows of this file.
    static let breakdownHeader = ["Phân tổ (số người trong danh sách)", "Nhóm", "Số người"]

    /// The breakdowns, in the order they are written, with their Vietnamese names.
    static let dimensions: [(key: String, title: String)] = [
        ("district", "Theo huyện cũ"), ("ward", "Theo xã/phường (2025)"), ("status", "Theo tình trạng hộ (tại ngày tính)"),
        ("sex", "Theo giới tính"), ("channel", "Theo kênh"), ("market", "Theo thị trường (nước đến)"),
    ]

    /// A target's row: its counts, nil where the count is the length of the export's own list
    /// (the list is then every person counted in the target's period up to the range's end).
    struct Target: Sendable {
        let title: String
        let plan: Int64
        let inRange: Int64?
        let inYear: Int64?
        let inPeriod: Int64?
    }

    /// Where the people counted in the counting period up to the range's end are read from.
    enum Counted {
        /// A temporary table holding them.
        case table(String)
        /// Counted again here, except where the list itself is that count (see `Target`).
        case list
    }

    func write(
        period: (start: LocalDate, end: LocalDate),
        targets: [Target],
        listed: Int64,
        breakdowns: Breakdowns,
        to writer: any TableWriter
    ) throws {
        let spec = self.spec
        let covered: String
        switch spec.range {
        case .month(let month): covered = "Tháng \(month.month < 10 ? "0" : "")\(month.month)/\(month.year)"
        case .years(let first, let last): covered = "Giai đoạn \(first)-\(last)"
        }
        try writer.row([.text("Kỳ báo cáo"), .text(covered)])
        try writer.row([.text("Số liệu tính đến hết ngày"), .date(spec.asOf)])
        try writer.row([.text("Giai đoạn tính (mỗi người tính một lần)"), .text("\(period.start.vietnamese) - \(period.end.vietnamese)")])
        for target in targets {
            let inPeriod = target.inPeriod ?? listed
            try writer.row([
                .text("Chỉ tiêu"), .text(target.title), .integer(target.inRange ?? listed), .integer(target.inYear ?? listed), .integer(inPeriod),
                .integer(target.plan), .decimal(ProgressReport.percent(inPeriod, of: target.plan), places: 2),
            ])
        }
        try writer.row(Self.breakdownHeader.map { .text($0) })
        for (dimension, title) in Self.dimensions {
            for (key, count) in breakdowns.counts(dimension) {
                try writer.row([.text(title), .text(key), .integer(count)])
            }
        }
    }

    /// One row per jobs or abroad target whose period holds the range: the counts in the range
    /// and period to date (`counted` for the jobs target of the counting period, else counted
    /// here), and year to date (a person once per year).
    func targets(period: (start: LocalDate, end: LocalDate), counted: Counted) async throws -> [Target] {
        let (first, last, asOf) = (self.spec.firstDay.description, self.spec.lastDay.description, self.spec.asOf.description)
        let rows = try await self.connection.query(
            """
            SELECT indicator, title_vi, value::bigint, period_start::text, period_end::text FROM targets
            WHERE indicator IN ('jobs', 'abroad') AND period_start <= \(first)::date AND period_end >= \(last)::date
            ORDER BY indicator DESC, period_start
            """,
            logger: self.logger
        )
        var targets: [Target] = []
        for (indicator, title, plan, startText, endText) in try await rows.decode((String, String, Int64, String, String).self).collect() {
            guard let start = LocalDate(startText), let end = LocalDate(endText) else { continue }
            let abroad = indicator == "abroad"
            let upTo = min(self.spec.lastDay, end).description
            let yearStart = max(start, LocalDate(year: self.spec.lastDay.year, month: 1, day: 1)!).description
            let counting = "counted_placements('\(start.description)'::date, '\(upTo)'::date, end_of_day('\(asOf)'::date), \(abroad))"
            let inYearSQL = "(SELECT count(*) FROM counted_placements('\(yearStart)'::date, '\(upTo)'::date, end_of_day('\(asOf)'::date), \(abroad)))"
            let countingPeriod = !abroad && start == period.start
            if case .list = counted, countingPeriod, end == period.end, self.spec.firstDay == period.start {
                // The list is this count: only year to date is left to count, unless it is the same.
                var inYear: Int64? = nil
                if yearStart != start.description {
                    inYear = try await self.connection.query(PostgresQuery(unsafeSQL: "SELECT \(inYearSQL)"), logger: self.logger).first(Int64.self)
                }
                targets.append(Target(title: title, plan: plan, inRange: nil, inYear: inYear, inPeriod: nil))
                continue
            }
            let source: String
            if case .table(let table) = counted, countingPeriod { source = table } else { source = counting }
            // Year to date is period to date when the period began this year.
            let inYear = yearStart == start.description ? "count(*)" : inYearSQL
            let counts = try await self.connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*) FILTER (WHERE counting_date >= '\(first)'::date), count(*), \(inYear)
                        FROM \(source)
                        """
                ),
                logger: self.logger
            )
            for try await (inRange, inPeriod, inYear) in counts.decode((Int64, Int64, Int64).self) {
                targets.append(Target(title: title, plan: plan, inRange: inRange, inYear: inYear, inPeriod: inPeriod))
            }
        }
        return targets
    }
}
