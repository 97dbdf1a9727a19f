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

    /// The breakdowns, in the order they are written, with their Vietnamese names.
    static let dimensions: [(key: String, title: String)] = [
        ("district", "Theo huyện cũ"), ("ward", "Theo xã/phường (2025)"), ("status", "Theo tình trạng hộ (tại ngày tính)"),
        ("sex", "Theo giới tính"), ("channel", "Theo kênh"), ("market", "Theo thị trường (nước đến)"),
    ]

    func write(period: (start: LocalDate, end: LocalDate), to writer: any TableWriter) async throws {
        let spec = self.spec
        let covered: String
        switch spec.range {
        case .month(let month): covered = "Tháng \(month.month < 10 ? "0" : "")\(month.month)/\(month.year)"
        case .years(let first, let last): covered = "Giai đoạn \(first)-\(last)"
        }
        try writer.row([.text("Kỳ báo cáo"), .text(covered)])
        try writer.row([.text("Số liệu tính đến hết ngày"), .date(spec.asOf)])
        try writer.row([.text("Giai đoạn tính (mỗi người tính một lần)"), .text("\(period.start.vietnamese) - \(period.end.vietnamese)")])
        try await self.targets(to: writer)
        try await self.breakdowns(period: period, to: writer)
    }

    /// The first day of the year-to-date figures: 1 January of the range's last year, or the
    /// period's start if later.
    private func yearStart(_ periodStart: LocalDate) -> LocalDate {
        max(periodStart, LocalDate(year: self.spec.lastDay.year, month: 1, day: 1)!)
    }

    /// One row per jobs or abroad target whose period holds the range.
    private func targets(to writer: any TableWriter) async throws {
        let (first, last, asOf) = (self.spec.firstDay.description, self.spec.lastDay.description, self.spec.asOf.description)
        let rows = try await self.connection.query(
            """
            SELECT t.title_vi, t.value::bigint, t.period_start::text,
                   (SELECT count(*) FROM counted_placements(t.period_start, least(\(last)::date, t.period_end), end_of_day(\(asOf)::date),
                                                            t.indicator = 'abroad') c WHERE c.counting_date >= \(first)::date),
                   (SELECT count(*) FROM counted_placements(greatest(t.period_start, date_trunc('year', \(last)::date)::date),
                                                            least(\(last)::date, t.period_end), end_of_day(\(asOf)::date), t.indicator = 'abroad')),
                   (SELECT count(*) FROM counted_placements(t.period_start, least(\(last)::date, t.period_end), end_of_day(\(asOf)::date),
                                                            t.indicator = 'abroad'))
            FROM targets t
            WHERE t.indicator IN ('jobs', 'abroad') AND t.period_start <= \(first)::date AND t.period_end >= \(last)::date
            ORDER BY t.indicator DESC, t.period_start
            """, logger: self.logger)
        for try await (title, plan, _, inRange, inYear, inPeriod) in rows.decode((String, Int64, String, Int64, Int64, Int64).self) {
            try writer.row([
                .text("Chỉ tiêu"), .text(title), .integer(inRange), .integer(inYear), .integer(inPeriod), .integer(plan),
                .decimal(ProgressReport.percent(inPeriod, of: plan), places: 2),
            ])
        }
    }

    /// Counts by each breakdown in the range, year to date and period to date (jobs counting).
    private func breakdowns(period: (start: LocalDate, end: LocalDate), to writer: any TableWriter) async throws {
        let end = min(self.spec.lastDay, period.end)
        let (first, asOf) = (self.spec.firstDay.description, self.spec.asOf.description)
        func described(_ start: LocalDate) -> String {
            """
            SELECT c.counting_date, COALESCE(ld.district_name, 'Không xác định') AS district, pw.ward_code || ' - ' || wd.ward_name AS ward,
                   household_status_on(w.household_id, c.counting_date) AS status, pw.sex, p.channel, p.destination_country AS market
            FROM counted_placements('\(start.description)'::date, '\(end.description)'::date, end_of_day('\(asOf)'::date), false) c
            JOIN placements p ON p.id = c.placement_id JOIN workers w ON w.id = c.worker_id JOIN workers pw ON pw.id = c.person_id
            JOIN wards_2025 wd ON wd.ward_code = pw.ward_code
            LEFT JOIN legacy_districts ld ON ld.district_code = legacy_district_of(pw.legacy_ward_code, pw.ward_code)
            """
        }
        let rows = try await self.connection.query(
            """
            WITH d AS (\(unescaped: described(period.start))), y AS (\(unescaped: described(self.yearStart(period.start)))),
            x AS (
                SELECT unnest(ARRAY['district', 'ward', 'status', 'sex', 'channel', 'market']) AS dim,
                       unnest(ARRAY[district, ward, status, sex, channel, market]) AS key,
                       (counting_date >= \(first)::date)::int AS in_range, 0 AS in_year, 1 AS in_period FROM d
                UNION ALL
                SELECT unnest(ARRAY['district', 'ward', 'status', 'sex', 'channel', 'market']),
                       unnest(ARRAY[district, ward, status, sex, channel, market]), 0, 1, 0 FROM y
            )
            SELECT dim, key, sum(in_range)::bigint, sum(in_year)::bigint, sum(in_period)::bigint FROM x
            WHERE key IS NOT NULL GROUP BY dim, key ORDER BY dim, key
            """, logger: self.logger)
        var groups: [String: [(String, Int64, Int64, Int64)]] = [:]
        for try await (dimension, key, inRange, inYear, inPeriod) in rows.decode((String, String, Int64, Int64, Int64).self) {
            groups[dimension, default: []].append((key, inRange, inYear, inPeriod))
        }
        for (dimension, title) in Self.dimensions {
            for (key, inRange, inYear, inPeriod) in groups[dimension] ?? [] {
                try writer.row([.text(title), .text(Self.label(dimension, key)), .integer(inRange), .integer(inYear), .integer(inPeriod)])
            }
        }
    }

    /// A breakdown key as a clerk reads it.
    static func label(_ dimension: String, _ key: String) -> String {
        switch dimension {
        case "status": (HouseholdStatus(rawValue: key) ?? .none).vietnamese
        case "sex": Sex(rawValue: key)?.vietnamese ?? key
        case "channel": PlacementLedger.Channel(rawValue: key)?.vietnamese ?? key
        default: key
        }
    }
}
