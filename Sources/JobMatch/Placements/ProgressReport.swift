import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Progress toward the plan's targets as of a day, counted by `counted_placements` (the rules of
/// docs/counting.md): per target the count, percent, monthly series, pace needed, forecast and
/// breakdowns; the trained share of registered workers; poor and near-poor households with a
/// member in work.
struct ProgressReport: Sendable {
    /// One value of a breakdown (`key` nil: not known, e.g. no legacy district) and its people.
    struct Group: Codable, Sendable {
        let key: String?
        let count: Int64
    }

    /// People first counted in a month, and the running total.
    struct Month: Codable, Sendable {
        let month: String
        let count: Int64
        let cumulative: Int64
    }

    struct TargetProgress: Codable, Sendable {
        let key: String
        let indicator: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let target: Int64
        let count: Int64
        let percent: Double
        /// Placements needed per remaining month (from the month after `as_of`) to reach the target.
        let paceNeededPerMonth: Double?
        /// Where the period ends at the average pace so far.
        let forecastAtPeriodEnd: Int64?
        let monthly: [Month]
        /// Once per person per year (a person placed in two years counts in both).
        let byYear: [Group]
        let byLegacyDistrict: [Group]
        let byWard: [Group]
        let byHouseholdStatus: [Group]
        let bySex: [Group]
        let byChannel: [Group]
        let byMarket: [Group]
    }

    struct TrainedRate: Codable, Sendable {
        let key: String?
        let targetPercent: Double?
        let registered: Int64
        let trained: Int64
        let percent: Double
    }

    struct Households: Codable, Sendable {
        let status: String
        let households: Int64
        let withMemberInWork: Int64
    }

    let asOf: LocalDate
    let targets: [TargetProgress]
    let trainedRate: TrainedRate
    let households: [Households]

    /// The report as it stood at the end of `asOf` (in the centre's time zone).
    static func make(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> ProgressReport {
        var targets: [TargetProgress] = []
        let rows = try await connection.query(
            """
            SELECT key, indicator, title_vi, period_start::text, period_end::text, value::bigint FROM targets
            WHERE indicator IN ('jobs', 'abroad') ORDER BY indicator DESC, period_start
            """,
            logger: logger
        )
        for (key, indicator, title, start, end, value) in try await rows.decode((String, String, String, String, String, Int64).self).collect() {
            targets.append(
                try await Self.target(
                    key: key,
                    indicator: indicator,
                    title: title,
                    start: LocalDate(start)!,
                    end: LocalDate(end)!,
                    value: value,
                    asOf: asOf,
                    on: connection,
                    logger: logger
                )
            )
        }
        return ProgressReport(
            asOf: asOf,
            targets: targets,
            trainedRate: try await Self.trainedRate(asOf: asOf, on: connection, logger: logger),
            households: try await Self.households(asOf: asOf, on: connection, logger: logger)
        )
    }

    /// One target's figures: the counted people grouped every way in one statement, years apart.
    static func target(
        key: String,
        indicator: String,
        title: String,
        start: LocalDate,
        end: LocalDate,
        value: Int64,
        asOf: LocalDate,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> TargetProgress {
        let abroad = indicator == "abroad"
        let (s, e, d) = (start.description, end.description, asOf.description)
        let rows = try await connection.query(
            """
            WITH c AS (SELECT * FROM counted_placements(\(s)::date, \(e)::date, end_of_day(\(d)::date), \(abroad))),
            d AS (
                SELECT to_char(c.counting_date, 'YYYY-MM') AS month, pw.ward_code, ld.district_code AS district,
                       COALESCE(hs.status, 'none') AS status, pw.sex, p.channel, p.destination_country
                FROM c \(unescaped: CountedPlacement.joins)
            )
            SELECT 'month', month, count(*) FROM d GROUP BY month
            UNION ALL SELECT 'district', district, count(*) FROM d GROUP BY district
            UNION ALL SELECT 'ward', ward_code, count(*) FROM d GROUP BY ward_code
            UNION ALL SELECT 'status', status, count(*) FROM d GROUP BY status
            UNION ALL SELECT 'sex', sex, count(*) FROM d GROUP BY sex
            UNION ALL SELECT 'channel', channel, count(*) FROM d GROUP BY channel
            UNION ALL SELECT 'market', destination_country, count(*) FROM d WHERE destination_country IS NOT NULL GROUP BY destination_country
            UNION ALL SELECT 'year', y::text, (SELECT count(*) FROM counted_placements(greatest(make_date(y, 1, 1), \(s)::date),
                                                                                  least(make_date(y, 12, 31), \(e)::date), end_of_day(\(d)::date), \(abroad)))
                      FROM generate_series(extract(year FROM \(s)::date)::int, extract(year FROM \(e)::date)::int) y
            """,
            logger: logger
        )
        var groups: [String: [Group]] = [:]
        for try await (dimension, key, count) in rows.decode((String, String?, Int64).self) {
            groups[dimension, default: []].append(Group(key: key, count: count))
        }
        func sorted(_ dimension: String) -> [Group] {
            (groups[dimension] ?? []).sorted { ($0.count, $1.key ?? "") > ($1.count, $0.key ?? "") }
        }
        var cumulative: Int64 = 0
        let monthly = (groups["month"] ?? []).sorted { ($0.key ?? "") < ($1.key ?? "") }.map { group in
            cumulative += group.count
            return Month(month: group.key ?? "", count: group.count, cumulative: cumulative)
        }
        let count = cumulative
        let totalMonths = Self.months(from: start, to: end)
        let elapsed = asOf < start ? 0 : min(totalMonths, Self.months(from: start, to: asOf))
        let remaining = totalMonths - elapsed
        let pace = remaining > 0 ? max(0, Double(value - count)) / Double(remaining) : nil
        let forecast = elapsed > 0 ? Int64((Double(count) / Double(elapsed) * Double(totalMonths)).rounded()) : nil
        let years = (groups["year"] ?? []).sorted { ($0.key ?? "") < ($1.key ?? "") }
        return TargetProgress(
            key: key,
            indicator: indicator,
            title: title,
            periodStart: start.description,
            periodEnd: end.description,
            target: value,
            count: count,
            percent: Self.percent(count, of: value),
            paceNeededPerMonth: pace.map { ($0 * 10).rounded() / 10 },
            forecastAtPeriodEnd: forecast,
            monthly: monthly,
            byYear: years,
            byLegacyDistrict: sorted("district"),
            byWard: sorted("ward"),
            byHouseholdStatus: sorted("status"),
            bySex: sorted("sex"),
            byChannel: sorted("channel"),
            byMarket: sorted("market")
        )
    }

    /// Calendar months from the month of `start` to the month of `end`, both counted.
    static func months(from start: LocalDate, to end: LocalDate) -> Int {
        (end.year - start.year) * 12 + end.month - start.month + 1
    }

    static func percent(_ count: Int64, of value: Int64) -> Double {
        value > 0 ? (Double(count) * 10000 / Double(value)).rounded() / 100 : 0
    }

    /// Registered workers (persons) as of the day, and those trained: a vocational qualification
    /// recorded, or a course completed by then.
    static func trainedRate(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> TrainedRate {
        let d = asOf.description
        let rows = try await connection.query(
            """
            SELECT (SELECT key FROM targets WHERE indicator = 'trained_rate' AND \(d)::date <= period_end ORDER BY period_end LIMIT 1),
                   (SELECT value::float8 FROM targets WHERE indicator = 'trained_rate' AND \(d)::date <= period_end ORDER BY period_end LIMIT 1),
                   count(*),
                   count(*) FILTER (WHERE w.qualification IS NOT NULL AND w.qualification <> 'none'
                                    OR EXISTS (SELECT 1 FROM enrolments e WHERE e.worker_id = w.id AND e.status = 'completed'
                                               AND e.completed_on <= \(d)::date))
            FROM workers w
            WHERE w.created_at < end_of_day(\(d)::date) AND worker_person_as_of(w.id, end_of_day(\(d)::date)) = w.id AND w.anonymised_at IS NULL
            """,
            logger: logger
        )
        var result: (key: String?, target: Double?, registered: Int64, trained: Int64) = (nil, nil, 0, 0)
        for try await row in rows.decode((String?, Double?, Int64, Int64).self) { result = row }
        let (key, target, registered, trained) = result
        return TrainedRate(key: key, targetPercent: target, registered: registered, trained: trained, percent: Self.percent(trained, of: registered))
    }

    /// Poor and near-poor households on the day, and how many have a member with a job counted by then.
    static func households(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> [Households] {
        let d = asOf.description
        let rows = try await connection.query(
            """
            WITH h AS (SELECT h.id, household_status_on(h.id, \(d)::date) AS status FROM households h)
            SELECT s.status, count(h.id),
                   count(h.id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM workers w JOIN live_placements(end_of_day(\(d)::date)) p ON p.worker_id = w.id
                       WHERE w.household_id = h.id AND p.start_date <= \(d)::date))
            FROM (VALUES ('poor'), ('near_poor')) s (status) LEFT JOIN h ON h.status = s.status
            GROUP BY s.status ORDER BY s.status DESC
            """,
            logger: logger
        )
        var result: [Households] = []
        for try await (status, count, working) in rows.decode((String, Int64, Int64).self) {
            result.append(Households(status: status, households: count, withMemberInWork: working))
        }
        return result
    }
}

extension AsyncSequence {
    /// All elements, in order.
    func collect() async throws -> [Element] {
        var all: [Element] = []
        for try await element in self { all.append(element) }
        return all
    }
}
