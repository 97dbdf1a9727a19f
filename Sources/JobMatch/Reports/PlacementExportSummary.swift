import JobMatchCore
import Logging
import PostgresNIO

/// The summary section of a placement export: what it covers, each target's count in the range,
/// year to date and period to date against the plan, and the breakdowns the department asks
/// for. Each target counts on its own basis and territory (`ExportCounting`), the rule of the rows
/// and of the progress report, so the months add up to the year and the years to the period.
struct PlacementExportSummary {
    let connection: PostgresConnection
    let logger: Logger
    let spec: PlacementExportSpec

    static let header = [
        "Mục", "Nội dung", "Trong kỳ báo cáo", "Lũy kế năm", "Lũy kế giai đoạn", "Kế hoạch giai đoạn", "Tỷ lệ % kế hoạch",
        "Cách tính", "Bình quân cần đạt mỗi tháng còn lại",
    ]
    /// The breakdown rows' heading: they count the rows of this file.
    static let breakdownHeader = ["Phân tổ (số người trong danh sách)", "Nhóm", "Số người"]

    /// The breakdowns, in the order they are written, with their Vietnamese names.
    static let dimensions: [(key: String, title: String)] = [
        ("district", "Theo huyện cũ"), ("ward", "Theo xã/phường (2025)"), ("status", "Theo tình trạng hộ (tại ngày tính)"),
        ("sex", "Theo giới tính"), ("channel", "Theo kênh"), ("market", "Theo thị trường (nước đến)"),
        ("disability", "Theo khuyết tật"), ("ethnic", "Theo dân tộc"),
        ("contract", "Theo loại hợp đồng"),
    ]

    /// `countedTable`: the table holding `counting`'s people (`PlacementExport`'s temporary one), or
    /// nil to count them here.
    func write(counting: ExportCounting, countedTable: String?, breakdowns: Breakdowns, to writer: any TableWriter) async throws {
        let spec = self.spec
        let covered: String
        switch spec.range {
        case .month(let month): covered = "Tháng \(month.month < 10 ? "0" : "")\(month.month)/\(month.year)"
        case .years(let first, let last): covered = "Giai đoạn \(first)-\(last)"
        }
        try writer.row([.text("Kỳ báo cáo"), .text(covered)])
        try writer.row([.text("Số liệu tính đến hết ngày"), .date(spec.asOf)])
        try writer.row([.text("Giai đoạn tính"), .text("\(counting.start.vietnamese) - \(counting.end.vietnamese)")])
        try writer.row([.text("Cách tính danh sách"), .text(counting.basis.vietnamese)])
        try await self.targets(counting: counting, countedTable: countedTable, to: writer)
        try writer.row(Self.breakdownHeader.map { .text($0) })
        for (dimension, title) in Self.dimensions {
            for (key, count) in breakdowns.counts(dimension) {
                try writer.row([.text(title), .text(key), .integer(count)])
            }
        }
    }

    /// One row per jobs or abroad target whose period holds the range (a yearly roadmap's target
    /// of the range's year among them), each on its basis and in its territory: the counts in the
    /// range, year to date and period to date (months add up to the year, years to the period),
    /// and the pace per remaining month still needed to reach it.
    private func targets(counting: ExportCounting, countedTable: String?, to writer: any TableWriter) async throws {
        let (first, last) = (self.spec.firstDay.description, self.spec.lastDay.description)
        let rows = try await self.connection.query(
            """
            SELECT key, indicator, title_vi, value::bigint, basis, period_start::text, period_end::text FROM targets
            WHERE indicator IN ('jobs', 'abroad') AND period_start <= \(first)::date AND period_end >= \(last)::date
            ORDER BY indicator DESC, period_start, period_end DESC, key
            """,
            logger: self.logger
        )
        let targets = try await rows.decode((String, String, String, Int64, String?, String, String).self).collect()
        for (key, indicator, title, plan, basisText, startText, endText) in targets {
            guard let start = LocalDate(startText), let end = LocalDate(endText) else { continue }
            let target = ExportCounting(targetKey: key, basis: basisText.flatMap(CountingBasis.init(rawValue:)) ?? .yearly, start: start, end: end)
            let abroad = indicator == "abroad"
            let upTo = min(self.spec.lastDay, end)
            let yearStart = max(start, LocalDate(year: self.spec.lastDay.year, month: 1, day: 1)!).description
            let counted = target.source(upTo: upTo, asOf: self.spec.asOf, abroad: abroad)
            let source = key == counting.targetKey ? countedTable ?? counted : counted
            let counts = try await self.connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*) FILTER (WHERE counting_date >= '\(first)'::date), count(*),
                               count(*) FILTER (WHERE counting_date >= '\(yearStart)'::date)
                        FROM \(source)
                        """
                ),
                logger: self.logger
            )
            for try await (inRange, inPeriod, inYear) in counts.decode((Int64, Int64, Int64).self) {
                // Months of the target's period after the range, in which the rest must be found.
                let remaining = ProgressReport.months(from: self.spec.lastDay, to: end) - 1
                let pace = remaining > 0 ? (Double(max(0, plan - inPeriod)) / Double(remaining) * 10).rounded() / 10 : nil
                try writer.row([
                    .text("Chỉ tiêu"), .text(title), .integer(inRange), .integer(inYear), .integer(inPeriod), .integer(plan),
                    .decimal(ProgressReport.percent(inPeriod, of: plan), places: 2), .text(target.basis.vietnamese),
                    pace.map { .decimal($0, places: 1) } ?? .empty,
                ])
            }
        }
    }
}
