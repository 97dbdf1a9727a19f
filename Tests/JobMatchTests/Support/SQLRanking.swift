import JobMatchCore
import Logging
import PostgresNIO

@testable import JobMatch

/// The checking side of the matching rules: one vacancy's list ranked by a single SQL statement over
/// every eligible worker, with the SQL function `candidate_points` (migration 0013) for the score and
/// the hard filters written in SQL. The service ranks in Swift (`MatchingRules`); tests compare the two.
enum SQLRanking {
    /// The top `limit` (worker id, points), best first (ties: registered earlier, then lower id).
    static func candidates(
        vacancyID: Int64,
        limit: Int,
        today: LocalDate = .today(),
        on connection: PostgresConnection
    ) async throws
        -> [(id: Int64, points: Int)]
    {
        let logger = TestCluster.logger
        let weights = try await MatchWeightsRepository.load(on: connection, logger: logger)
        let day = today.description
        return try await connection.query(
            """
            WITH v AS (
                SELECT v.id, v.occupation_code, v.min_age, v.max_age, v.open_to_abroad_bound, wd.lat, wd.lon
                FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code WHERE v.id = \(vacancyID)
            ), c AS (
                SELECT w.id, w.sex, w.ethnicity, w.disability_type IS NOT NULL AS disabled, w.max_commute_km, w.created_at,
                       (w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS registered_on,
                       COALESCE(hs.status, 'none') AS status,
                       COALESCE((SELECT max(isco_shared_levels(o.occupation_code, v.occupation_code)) FROM worker_occupations o
                                 WHERE o.worker_id = w.id), 0) AS depth,
                       EXISTS (SELECT 1 FROM enrolments e JOIN courses co ON co.id = e.course_id
                               WHERE e.worker_id = w.id AND e.status = 'completed' AND isco_shared_levels(co.occupation_code, v.occupation_code) >= 3)
                           AS trained,
                       6371 * 2 * asin(sqrt(power(sin(radians(wd.lat - v.lat) / 2), 2)
                           + cos(radians(v.lat)) * cos(radians(wd.lat)) * power(sin(radians(wd.lon - v.lon) / 2), 2))) AS distance_km
                FROM v CROSS JOIN workers w LEFT JOIN wards_2025 wd ON wd.ward_code = w.ward_code
                LEFT JOIN LATERAL (SELECT s.status FROM household_statuses s
                                   WHERE s.household_id = w.household_id AND s.valid_from <= \(day)::date
                                     AND (s.valid_to IS NULL OR s.valid_to >= \(day)::date) LIMIT 1) hs ON true
                WHERE w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND (v.min_age IS NULL OR w.birth_date <= (\(day)::date - make_interval(years => v.min_age))::date)
                  AND (v.max_age IS NULL OR w.birth_date > (\(day)::date - make_interval(years => v.max_age + 1))::date)
                  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = w.id)
                  AND EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.worker_id = w.id AND p.recorded_at >= w.seeking_since
                                  AND p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.reverses_id = p.id))
                  AND NOT EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id AND oc.early_return_date IS NULL
                                  AND oc.departure_date IS NOT NULL AND oc.departure_date + make_interval(months => oc.term_months) > now())
                  AND (v.open_to_abroad_bound OR NOT EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id
                       AND oc.early_return_date IS NULL AND oc.departure_date IS NULL AND oc.planned_departure >= CURRENT_DATE))
                OFFSET 0
            )
            SELECT id, candidate_points(status, depth, trained, distance_km, max_commute_km, registered_on, \(day)::date, sex, ethnicity,
                                        disabled, \(weights.ordered)::int[]) AS points
            FROM c
            WHERE max_commute_km IS NULL OR distance_km IS NULL OR distance_km <= max_commute_km
            ORDER BY points DESC, created_at, id
            LIMIT \(limit)
            """,
            logger: logger
        ).decode((Int64, Int).self).collect().map { (id: $0.0, points: $0.1) }
    }
}
