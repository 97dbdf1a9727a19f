import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Reads what matching needs about workers, in one set-based query: the filters that do not depend on
/// the vacancy (seeking work, not merged or anonymised, a referral consent, not placed since seeking,
/// not working abroad now) are stated here and nowhere else; household status as of `today`. Every
/// vacancy-dependent rule is Swift's (`MatchingRules`).
enum MatchingFactsReader {
    /// Every eligible worker, or only those of `ids` (a worker of `ids` missing from the answer is not eligible).
    static func read(today: LocalDate, only ids: [Int64]? = nil, on connection: PostgresConnection, logger: Logger) async throws -> [MatchingWorker] {
        var workers: [MatchingWorker] = []
        try await Self.readRows(today: today, only: ids, on: connection, logger: logger) { workers.append(contentsOf: try Self.decode($0)) }
        return workers
    }

    /// The rows undecoded, given to `each` in parts of `part` as they arrive: a table loader decodes
    /// them on matching's threads while the next part is read (decoding 15 columns a row took as long
    /// as the database's query).
    static func readRows(
        today: LocalDate,
        only ids: [Int64]? = nil,
        on connection: PostgresConnection,
        logger: Logger,
        part: Int = 25_000,
        each: ([PostgresRow]) async throws -> Void
    ) async throws {
        let day = today.description
        let rows = try await connection.query(
            """
            WITH occupations AS (
                SELECT o.worker_id, array_agg(o.occupation_code ORDER BY o.occupation_code) AS codes FROM worker_occupations o
                WHERE \(ids)::bigint[] IS NULL OR o.worker_id = ANY(\(ids)::bigint[]) GROUP BY o.worker_id
            ), trained AS (
                SELECT e.worker_id, array_agg(co.occupation_code ORDER BY co.occupation_code) AS codes
                FROM enrolments e JOIN courses co ON co.id = e.course_id
                WHERE e.status = 'completed' AND (\(ids)::bigint[] IS NULL OR e.worker_id = ANY(\(ids)::bigint[])) GROUP BY e.worker_id
            )
            SELECT w.id, (extract(epoch FROM w.created_at) * 1000000)::bigint, (w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - DATE '1970-01-01',
                   COALESCE(hs.status, 'none'), COALESCE(o.codes, '{}'), COALESCE(t.codes, '{}'), w.ward_code, wd.lat, wd.lon,
                   w.max_commute_km, w.birth_date - DATE '1970-01-01', w.sex = 'female', w.ethnicity, w.disability_type IS NOT NULL,
                   \(unescaped: Self.leavingSoon)
            FROM workers w
            LEFT JOIN occupations o ON o.worker_id = w.id
            LEFT JOIN trained t ON t.worker_id = w.id
            LEFT JOIN wards_2025 wd ON wd.ward_code = w.ward_code
            LEFT JOIN household_statuses hs ON hs.household_id = w.household_id AND hs.valid_from <= \(day)::date
                                           AND (hs.valid_to IS NULL OR hs.valid_to >= \(day)::date)
            WHERE (\(ids)::bigint[] IS NULL OR w.id = ANY(\(ids)::bigint[]))
              AND w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
              AND \(unescaped: Self.workerEligibility)
            """,
            logger: logger
        )
        var received: [PostgresRow] = []
        received.reserveCapacity(part)
        for try await row in rows {
            received.append(row)
            if received.count >= part {
                try await each(received)
                received.removeAll(keepingCapacity: true)
            }
        }
        if !received.isEmpty { try await each(received) }
    }

    /// Rows of `readRows` as workers.
    static func decode(_ rows: [PostgresRow]) throws -> [MatchingWorker] {
        var workers: [MatchingWorker] = []
        workers.reserveCapacity(rows.count)
        var minority: [String: Bool] = [:]  // worked out once per ethnicity as written (a few dozen)
        for row in rows {
            let (id, createdAt, registered, status, occupations, trained, ward, lat, lon, maxCommute, birth, female, ethnicity, disabled, leaving) =
                try row.decode((Int64, Int64, Int, String, [String], [String], String?, Double?, Double?, Int?, Int, Bool, String?, Bool, Bool).self)
            workers.append(
                MatchingWorker(
                    id: id,
                    createdAt: createdAt,
                    registeredOn: LocalDate(daysSinceEpoch: registered),
                    status: HouseholdStatus(rawValue: status) ?? .none,
                    occupations: occupations,
                    trainedOccupations: trained,
                    wardCode: ward,
                    lat: lat,
                    lon: lon,
                    maxCommuteKm: maxCommute,
                    birthDate: LocalDate(daysSinceEpoch: birth),
                    female: female,
                    minority: ethnicity.map { name in
                        if let known = minority[name] { return known }
                        let resolved = MatchingRules.isEthnicMinority(name)
                        minority[name] = resolved
                        return resolved
                    } ?? false,
                    disabled: disabled,
                    leaving: leaving
                )
            )
        }
        return workers
    }

    /// Workers whose eligibility may turn with the clock alone within three days (an overseas contract
    /// ending, a departure due): the copy re-reads them, never trusts them.
    static func turningWithClock(on connection: PostgresConnection, logger: Logger) async throws -> Set<Int64> {
        Set(
            try await connection.query(
                """
                SELECT DISTINCT worker_id FROM overseas_contracts
                WHERE early_return_date IS NULL
                  AND ((departure_date IS NOT NULL AND departure_date + make_interval(months => term_months)
                            BETWEEN now() - interval '3 days' AND now() + interval '3 days')
                       OR (departure_date IS NULL AND planned_departure BETWEEN CURRENT_DATE - 3 AND CURRENT_DATE + 3))
                """,
                logger: logger
            ).decode(Int64.self).collect()
        )
    }

    /// Workers whose household status starts or ends between two days (read again when the day turns).
    static func statusTurning(from: LocalDate, to: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> Set<Int64> {
        Set(
            try await connection.query(
                """
                SELECT w.id FROM household_statuses s JOIN workers w ON w.household_id = s.household_id
                WHERE (s.valid_from > \(from.description)::date AND s.valid_from <= \(to.description)::date)
                   OR (s.valid_to >= \(from.description)::date AND s.valid_to < \(to.description)::date)
                """,
                logger: logger
            ).decode(Int64.self).collect()
        )
    }

    /// The filters that do not depend on the vacancy, on worker `w`: a referral consent given and not
    /// withdrawn, no placement since last seeking work, not working abroad now. The contracts are
    /// asked once as a set (`NOT IN`, `worker_id` is never null), not once per worker: with few
    /// contracts the planner otherwise scanned them again for each of 1,700,000 workers (1.1 s).
    static let workerEligibility = """
        EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM live_placements() p WHERE p.worker_id = w.id AND p.recorded_at >= w.seeking_since)
        AND w.id NOT IN (SELECT oc.worker_id FROM overseas_contracts oc WHERE oc.early_return_date IS NULL
                         AND oc.departure_date IS NOT NULL AND oc.departure_date + make_interval(months => oc.term_months) > now())
        """

    /// Worker `w` is about to leave under an overseas contract: not departed, departure planned from today.
    static let leavingSoon = """
        w.id IN (SELECT oc.worker_id FROM overseas_contracts oc WHERE oc.early_return_date IS NULL
                 AND oc.departure_date IS NULL AND oc.planned_departure >= CURRENT_DATE)
        """
}
