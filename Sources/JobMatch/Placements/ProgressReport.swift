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

    /// The same target's figure counted on the other basis, shown beside it.
    struct OtherBasis: Codable, Sendable {
        let basis: CountingBasis
        let label: String
        let count: Int64
    }

    /// A place of a target's territory: a 2025 ward or a legacy province.
    struct Place: Codable, Sendable {
        let kind: String
        let code: String
    }

    struct TargetProgress: Codable, Sendable {
        let key: String
        let indicator: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let target: Int64
        /// How `count`, the months, the years and every breakdown count a person.
        let basis: CountingBasis
        let basisLabel: String
        let count: Int64
        let otherBasis: OtherBasis
        /// Where the target counts (empty: the whole home territory).
        let territory: [Place]
        let percent: Double
        /// Placements needed per remaining month (from the month after `as_of`) to reach the target.
        let paceNeededPerMonth: Double?
        /// Where the period ends at the average pace so far.
        let forecastAtPeriodEnd: Int64?
        let monthly: [Month]
        /// By the year of the placement that counts each person; the years add up to `count`.
        let byYear: [Group]
        let byLegacyDistrict: [Group]
        let byWard: [Group]
        let byHouseholdStatus: [Group]
        let bySex: [Group]
        let byChannel: [Group]
        /// `with_disability` / `without_disability`.
        let byDisability: [Group]
        /// `ethnic_minority` (any of the 53 groups other than Kinh), `kinh`, `not_recorded`.
        let byEthnicMinority: [Group]
        let byMarket: [Group]
        /// The counted placement's contract: `indefinite`, `fixed_term`, `seasonal`, `self_employment`,
        /// or `not_recorded` (entries from before it was asked, hires and departures).
        let byContractType: [Group]
    }

    /// The trained share among the people registered at the centre: not the province's labour force,
    /// which the plan's 70% / 75% target is about (`measures` and `label` say so wherever it is shown).
    struct TrainedRate: Codable, Sendable {
        var measures = "registered_workers"
        var label = Self.label
        static let label = "Tỷ lệ đã qua đào tạo trong số người lao động đăng ký tại Trung tâm (không phải lực lượng lao động toàn tỉnh)"
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
    /// Employers' hires recorded by then and not yet confirmed by staff: not in any count.
    let awaitingConfirmation: Int64

    /// A jobs or abroad target as stored.
    struct TargetRow: Sendable {
        let key: String
        let indicator: String
        let title: String
        let start: LocalDate
        let end: LocalDate
        let value: Int64
        let basis: CountingBasis
        let territory: [Place]
    }

    /// The report as it stood at the end of `asOf` (in the centre's time zone).
    static func make(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> ProgressReport {
        var targets: [TargetProgress] = []
        for row in try await Self.countedTargets(on: connection, logger: logger) {
            targets.append(try await Self.target(row, asOf: asOf, on: connection, logger: logger))
        }
        return ProgressReport(
            asOf: asOf,
            targets: targets,
            trainedRate: try await Self.trainedRate(asOf: asOf, on: connection, logger: logger),
            households: try await Self.households(asOf: asOf, on: connection, logger: logger),
            awaitingConfirmation: try await Self.awaitingConfirmation(asOf: asOf, on: connection, logger: logger)
        )
    }

    /// The jobs and abroad targets with their basis and territory (`ProgressService.list`), jobs
    /// first, by period.
    static func countedTargets(on connection: PostgresConnection, logger: Logger) async throws -> [TargetRow] {
        try await ProgressService.list(on: connection, logger: logger).targets
            .filter { $0.indicator == "jobs" || $0.indicator == "abroad" }
            .sorted { ($1.indicator, $0.periodStart, $1.periodEnd, $0.key) < ($0.indicator, $1.periodStart, $0.periodEnd, $1.key) }
            .map {
                TargetRow(
                    key: $0.key,
                    indicator: $0.indicator,
                    title: $0.title,
                    start: LocalDate($0.periodStart)!,
                    end: LocalDate($0.periodEnd)!,
                    value: Int64($0.value),
                    basis: $0.basis ?? .yearly,
                    territory: $0.territory
                )
            }
    }

    /// One target's figures on its basis, in its territory: the counted people grouped every way in
    /// one statement, and their number on the other basis.
    static func target(_ row: TargetRow, asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> TargetProgress {
        let abroad = row.indicator == "abroad"
        let (s, e, d) = (row.start.description, row.end.description, asOf.description)
        let rows = try await connection.query(
            """
            WITH c AS (SELECT * FROM counted_for_target(\(row.key), \(row.basis.rawValue), \(s)::date, \(e)::date, end_of_day(\(d)::date), \(abroad))),
            d AS (
                SELECT to_char(c.counting_date, 'YYYY-MM') AS month, extract(year FROM c.counting_date)::int AS year, pw.ward_code,
                       ld.district_code AS district, COALESCE(hs.status, 'none') AS status, pw.sex, p.channel, p.destination_country,
                       CASE WHEN pw.disability_type IS NULL THEN 'without_disability' ELSE 'with_disability' END AS disability,
                       CASE WHEN eg.minority THEN 'ethnic_minority' WHEN eg.minority = false THEN 'kinh' ELSE 'not_recorded' END AS ethnic,
                       COALESCE(p.contract_type, 'not_recorded') AS contract
                FROM c \(unescaped: CountedPlacement.joins)
                LEFT JOIN ethnic_groups eg ON eg.name = pw.ethnicity
            )
            SELECT 'month', month, count(*) FROM d GROUP BY month
            UNION ALL SELECT 'district', district, count(*) FROM d GROUP BY district
            UNION ALL SELECT 'ward', ward_code, count(*) FROM d GROUP BY ward_code
            UNION ALL SELECT 'status', status, count(*) FROM d GROUP BY status
            UNION ALL SELECT 'sex', sex, count(*) FROM d GROUP BY sex
            UNION ALL SELECT 'channel', channel, count(*) FROM d GROUP BY channel
            UNION ALL SELECT 'disability', disability, count(*) FROM d GROUP BY disability
            UNION ALL SELECT 'ethnic', ethnic, count(*) FROM d GROUP BY ethnic
            UNION ALL SELECT 'contract', contract, count(*) FROM d GROUP BY contract
            UNION ALL SELECT 'market', destination_country, count(*) FROM d WHERE destination_country IS NOT NULL GROUP BY destination_country
            UNION ALL SELECT 'year', y::text, (SELECT count(*) FROM d WHERE d.year = y)
                      FROM generate_series(extract(year FROM \(s)::date)::int, extract(year FROM \(e)::date)::int) y
            UNION ALL SELECT 'other', NULL, (SELECT count(*) FROM counted_for_target(\(row.key), \(row.basis.other.rawValue), \(s)::date,
                                                                                      \(e)::date, end_of_day(\(d)::date), \(abroad)))
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
        let totalMonths = Self.months(from: row.start, to: row.end)
        let elapsed = asOf < row.start ? 0 : min(totalMonths, Self.months(from: row.start, to: asOf))
        let remaining = totalMonths - elapsed
        let pace = remaining > 0 ? max(0, Double(row.value - count)) / Double(remaining) : nil
        let forecast = elapsed > 0 ? Int64((Double(count) / Double(elapsed) * Double(totalMonths)).rounded()) : nil
        let years = (groups["year"] ?? []).sorted { ($0.key ?? "") < ($1.key ?? "") }
        return TargetProgress(
            key: row.key,
            indicator: row.indicator,
            title: row.title,
            periodStart: s,
            periodEnd: e,
            target: row.value,
            basis: row.basis,
            basisLabel: row.basis.vietnamese,
            count: count,
            otherBasis: OtherBasis(basis: row.basis.other, label: row.basis.other.vietnamese, count: groups["other"]?.first?.count ?? 0),
            territory: row.territory,
            percent: Self.percent(count, of: row.value),
            paceNeededPerMonth: pace.map { ($0 * 10).rounded() / 10 },
            forecastAtPeriodEnd: forecast,
            monthly: monthly,
            byYear: years,
            byLegacyDistrict: sorted("district"),
            byWard: sorted("ward"),
            byHouseholdStatus: sorted("status"),
            bySex: sorted("sex"),
            byChannel: sorted("channel"),
            byDisability: sorted("disability"),
            byEthnicMinority: sorted("ethnic"),
            byMarket: sorted("market"),
            byContractType: sorted("contract")
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
            WITH t AS (SELECT key, value::float8 AS value FROM targets
                       WHERE indicator = 'trained_rate' AND \(d)::date <= period_end ORDER BY period_end LIMIT 1)
            SELECT (SELECT key FROM t), (SELECT value FROM t),
                   count(*),
                   count(*) FILTER (WHERE w.qualification IS NOT NULL AND w.qualification <> 'none'
                                    OR EXISTS (SELECT 1 FROM enrolments e WHERE e.worker_id = w.id AND e.status = 'completed'
                                               AND e.completed_on <= \(d)::date))
            FROM workers w
            WHERE w.created_at < end_of_day(\(d)::date) AND worker_person_as_of(w.id, end_of_day(\(d)::date)) = w.id AND w.anonymised_at IS NULL
              AND (NOT EXISTS (SELECT 1 FROM t) OR w.id IN (SELECT tw.worker_id FROM t, target_territory_workers(t.key) tw))
            """,
            logger: logger
        )
        var result: (key: String?, target: Double?, registered: Int64, trained: Int64) = (nil, nil, 0, 0)
        for try await row in rows.decode((String?, Double?, Int64, Int64).self) { result = row }
        let (key, target, registered, trained) = result
        return TrainedRate(key: key, targetPercent: target, registered: registered, trained: trained, percent: Self.percent(trained, of: registered))
    }

    /// Employers' hires recorded by the end of the day, neither confirmed nor reversed by then.
    static func awaitingConfirmation(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let d = asOf.description
        return try await connection.query(
            """
            SELECT count(*) FROM placements p
            WHERE p.confirmation_required AND p.recorded_at < end_of_day(\(d)::date)
              AND (p.confirmed_at IS NULL OR p.confirmed_at >= end_of_day(\(d)::date))
              AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id AND r.recorded_at < end_of_day(\(d)::date))
            """,
            logger: logger
        ).first(Int64.self) ?? 0
    }

    /// Poor and near-poor households on the day, and how many have a member with a job counted by then.
    static func households(asOf: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> [Households] {
        let d = asOf.description
        let rows = try await connection.query(
            """
            WITH h AS (SELECT h.id, household_status_on(h.id, \(d)::date) AS status FROM households h)
            SELECT s.status, count(h.id),
                   count(h.id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM workers w JOIN countable_placements(end_of_day(\(d)::date)) p ON p.worker_id = w.id
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
