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

    /// The breakdowns, in the order the department's form lists them.
    static let dimensions: [(key: String, title: String)] = [
        ("district", "Theo huyện cũ"), ("ward", "Theo xã/phường (2025)"), ("status", "Theo tình trạng hộ (tại ngày tính)"),
        ("sex", "Theo giới tính"), ("channel", "Theo kênh"), ("market", "Theo thị trường (nước đến)"),
        ("disability", "Theo khuyết tật"), ("ethnic", "Theo dân tộc"),
        ("contract", "Theo loại hợp đồng"),
    ]

    /// A target's counts: in the range, year to date, period to date.
    struct Counts: Sendable {
        let inRange: Int64
        let inYear: Int64
        let inPeriod: Int64
    }

    /// A target's row; `counts` nil when the export's own list is its count (see `Counted.list`).
    struct Target: Sendable {
        let title: String
        let plan: Int64
        let basis: CountingBasis
        let end: LocalDate
        let counts: Counts?
    }

    /// Where the export's counting target's people are read from.
    enum Counted {
        /// A temporary table holding them (the period up to the range's end).
        case table(String)
        /// The export's list, read elsewhere (with COPY), gives the counts (`Listed.counts`): when
        /// the range starts with the target's period the list holds every person counted, so its
        /// length and dates are the counts; otherwise its rows carry them (`withTotals`).
        case list
    }

    /// The list's own counts, kept as its rows stream past: how many, and how many counted on or
    /// after `yearStart` (year to date for the counting target); and, for a list that is not the
    /// whole count (a month), the period's and the year's counts its rows carry.
    struct Listed {
        private let yearStart: [UInt8]
        private(set) var total: Int64 = 0
        private(set) var inYear: Int64 = 0
        /// Counted in the period and in the year to date, when the rows carry them (`withTotals`).
        var totals: (inPeriod: Int64, inYear: Int64)? = nil

        /// The counting target's counts: the list's length in the range, the rest from `totals`
        /// or, for a list that is the whole count, from the list itself.
        var counts: Counts {
            guard let totals else { return Counts(inRange: self.total, inYear: self.inYear, inPeriod: self.total) }
            return Counts(inRange: self.total, inYear: totals.inYear, inPeriod: totals.inPeriod)
        }

        init(yearStart: LocalDate) {
            self.yearStart = Array(yearStart.description.utf8)
        }

        /// Counts a row by its counting date's text (`YYYY-MM-DD`, which orders as the dates do);
        /// returns the row's number.
        mutating func count(countingDate: UnsafeRawBufferPointer?) -> Int64 {
            self.total += 1
            if let countingDate, !countingDate.lexicographicallyPrecedes(self.yearStart) { self.inYear += 1 }
            return self.total
        }
    }

    /// `source` (a counting function's call) with two more columns on every row, worked out in the
    /// same pass: how many the period counts and how many of them on or after `yearStart`.
    static func withTotals(_ source: String, yearStart: LocalDate) -> String {
        """
        (SELECT t.*, count(*) OVER () AS counted_in_period,
                count(*) FILTER (WHERE t.counting_date >= '\(yearStart.description)'::date) OVER () AS counted_in_year
         FROM \(source) t)
        """
    }

    /// The first day of year to date for a target whose period starts on `start`.
    static func yearStart(of start: LocalDate, spec: PlacementExportSpec) -> LocalDate {
        max(start, LocalDate(year: spec.lastDay.year, month: 1, day: 1)!)
    }

    /// Writes the section: what the file covers, one row per target (`targets`; one left to the
    /// list reads its counts from `listed`), then the breakdowns of the list.
    func write(counting: ExportCounting, targets: [Target], listed: Listed?, breakdowns: Breakdowns, to writer: any TableWriter) throws {
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
        for target in targets {
            guard let counts = target.counts ?? listed?.counts else {
                throw Incomplete(description: "a target's counts were left to a list that was not read")
            }
            // Months of the target's period after the range, in which the rest must be found.
            let remaining = ProgressReport.months(from: spec.lastDay, to: target.end) - 1
            let pace = remaining > 0 ? (Double(max(0, target.plan - counts.inPeriod)) / Double(remaining) * 10).rounded() / 10 : nil
            try writer.row([
                .text("Chỉ tiêu"), .text(target.title), .integer(counts.inRange), .integer(counts.inYear), .integer(counts.inPeriod),
                .integer(target.plan), .decimal(ProgressReport.percent(counts.inPeriod, of: target.plan), places: 2),
                .text(target.basis.vietnamese), pace.map { .decimal($0, places: 1) } ?? .empty,
            ])
        }
        try writer.row(Self.breakdownHeader.map { .text($0) })
        for (dimension, title) in Self.dimensions {
            for (key, count) in breakdowns.counts(dimension) {
                try writer.row([.text(title), .text(key), .integer(count)])
            }
        }
    }

    /// A summary asked to write counts nobody read.
    struct Incomplete: Error, CustomStringConvertible {
        let description: String
    }

    /// One row per jobs or abroad target whose period holds the range (a yearly roadmap's target
    /// of the range's year among them), each on its basis and in its territory: the counts in the
    /// range, year to date and period to date (months add up to the year, years to the period).
    /// The counting target's people are `counted`.
    func targets(counting: ExportCounting, counted: Counted) async throws -> [Target] {
        let (first, last) = (self.spec.firstDay.description, self.spec.lastDay.description)
        let rows = try await self.connection.query(
            """
            SELECT key, indicator, title_vi, value::bigint, basis, period_start::text, period_end::text FROM targets
            WHERE indicator IN ('jobs', 'abroad') AND period_start <= \(first)::date AND period_end >= \(last)::date
            ORDER BY indicator DESC, period_start, period_end DESC, key
            """,
            logger: self.logger
        )
        var result: [Target] = []
        let targets = try await rows.decode((String, String, String, Int64, String?, String, String).self).collect()
        for (key, indicator, title, plan, basisText, startText, endText) in targets {
            guard let start = LocalDate(startText), let end = LocalDate(endText) else { continue }
            let target = ExportCounting(targetKey: key, basis: basisText.flatMap(CountingBasis.init(rawValue:)) ?? .yearly, start: start, end: end)
            let abroad = indicator == "abroad"
            let upTo = min(self.spec.lastDay, end)
            let yearStart = Self.yearStart(of: start, spec: self.spec)
            let source: String
            switch counted {
            case .table(let table) where key == counting.targetKey:
                source = table
            case .list where key == counting.targetKey:
                result.append(Target(title: title, plan: plan, basis: target.basis, end: end, counts: nil))
                continue
            default:
                source = target.source(upTo: upTo, asOf: self.spec.asOf, abroad: abroad)
            }
            let counts = try await self.counts(of: source, yearStart: yearStart)
            result.append(Target(title: title, plan: plan, basis: target.basis, end: end, counts: counts))
        }
        return result
    }

    /// The counts of `source` (a counting function's call or a table of counted people): in the
    /// range, year to date (from `yearStart`) and in all of it.
    func counts(of source: String, yearStart: LocalDate) async throws -> Counts {
        let first = self.spec.firstDay.description
        let rows = try await self.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*) FILTER (WHERE counting_date >= '\(first)'::date), count(*),
                           count(*) FILTER (WHERE counting_date >= '\(yearStart.description)'::date)
                    FROM \(source)
                    """
            ),
            logger: self.logger
        )
        guard let (inRange, inPeriod, inYear) = try await rows.decode((Int64, Int64, Int64).self).collect().first else {
            throw Incomplete(description: "a count returned no row")
        }
        return Counts(inRange: inRange, inYear: inYear, inPeriod: inPeriod)
    }
}
