import JobMatchCore
import Logging
import PostgresNIO

/// Finds the workers eligible for a vacancy (hard filters in SQL) and ranks them with
/// `CandidateScorer` (every part of the score returned).
struct CandidateFinder {
    let connection: PostgresConnection
    let logger: Logger

    /// An eligible worker and why they rank where they do.
    struct Candidate: Sendable {
        let workerID: Int64
        let fullName: String
        let householdStatus: HouseholdStatus
        let distanceKm: Double?
        let score: CandidateScore
    }

    /// Eligible candidates, best first (ties: earlier registration first), at most `limit`.
    /// Household status is judged as of `today`.
    func candidates(vacancyID: Int64, onlyWorker: Int64? = nil, limit: Int, today: LocalDate = .today()) async throws -> [Candidate] {
        let rows = try await self.connection.query(
            """
            WITH v AS (
                SELECT v.id, v.occupation_code, v.min_age, v.max_age, wd.lat, wd.lon
                FROM vacancies v JOIN wards_2025 wd ON wd.ward_code = v.ward_code WHERE v.id = \(vacancyID)
            ), c AS (
                SELECT w.id, w.full_name, w.max_commute_km, w.created_at,
                       household_status_on(w.household_id, \(today.description)::date) AS status,
                       ARRAY(SELECT occupation_code FROM worker_occupations o WHERE o.worker_id = w.id) AS occupations,
                       ARRAY(SELECT co.occupation_code FROM enrolments e JOIN courses co ON co.id = e.course_id
                             WHERE e.worker_id = w.id AND e.status = 'completed') AS trained,
                       6371 * 2 * asin(sqrt(power(sin(radians(wd.lat - v.lat) / 2), 2)
                           + cos(radians(v.lat)) * cos(radians(wd.lat)) * power(sin(radians(wd.lon - v.lon) / 2), 2))) AS distance_km,
                       date_part('year', age(\(today.description)::date, w.birth_date))::int AS age,
                       v.min_age, v.max_age
                FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code CROSS JOIN v
                WHERE w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND (\(onlyWorker)::bigint IS NULL OR w.id = \(onlyWorker)::bigint)
                  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = w.id)
            )
            SELECT id, full_name, status, occupations, trained, distance_km
            FROM c
            WHERE (min_age IS NULL OR age >= min_age) AND (max_age IS NULL OR age <= max_age)
              AND (max_commute_km IS NULL OR distance_km IS NULL OR distance_km <= max_commute_km)
            ORDER BY created_at, id
            """, logger: self.logger)
        guard let vacancyOccupation = try await self.connection.query(
            "SELECT occupation_code FROM vacancies WHERE id = \(vacancyID)", logger: self.logger).first(String.self)
        else { return [] }
        var result: [Candidate] = []
        for try await (id, name, status, occupations, trained, distance) in rows.decode((Int64, String, String, [String], [String], Double?).self) {
            let household = HouseholdStatus(rawValue: status) ?? .none
            let score = CandidateScorer.score(CandidateFacts(
                householdStatus: household, workerOccupations: occupations, vacancyOccupation: vacancyOccupation,
                completedTrainingOccupations: trained))
            result.append(Candidate(workerID: id, fullName: name, householdStatus: household, distanceKm: distance, score: score))
        }
        // Stable sort keeps registration order among equal scores.
        let ranked = result.enumerated().sorted { a, b in
            a.element.score.total != b.element.score.total ? a.element.score.total > b.element.score.total : a.offset < b.offset
        }.map(\.element)
        return Array(ranked.prefix(limit))
    }
}
