import Foundation
import JobMatchCore
import PostgresNIO

@testable import JobMatch

/// A varied population for the matching tests: the seeders' workers and vacancies, then more of
/// what varies the lists (commutes, courses completed in related trades (a worker may already have
/// completed the one picked here: the seeder gives courses too), placements, contracts abroad departed
/// and about to leave, withdrawn consents, earlier referrals, age ranges, vacancies open to workers
/// about to leave, wards without coordinates).
enum MatchingVariety {
    static func seed(url: String, workers: Int = 400, vacancies: Int = 12) async throws {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            _ = try await PopulationSeeder(client: client, logger: TestCluster.logger).seed(count: workers, seed: 7)
            _ = try await VacancySeeder(client: client, logger: TestCluster.logger).seed(vacancies: vacancies, seed: 7)
        }
        try await execute(
            """
            SELECT setseed(0.42);
            UPDATE workers SET max_commute_km = (ARRAY[5, 10, 20, 40])[1 + (id % 4)] WHERE id % 3 = 0;
            UPDATE workers SET ethnicity = 'Khơ-me' WHERE id % 7 = 0;
            UPDATE workers SET disability_type = 'visual', disability_severity = 'mild' WHERE id % 11 = 0;
            INSERT INTO courses (title, occupation_code, level, start_date, end_date, seats)
            SELECT 'Khóa ' || code, code, 'so_cap', DATE '2026-01-05', DATE '2026-03-05', 100
            FROM (SELECT DISTINCT occupation_code AS code FROM vacancies) c;
            INSERT INTO enrolments (course_id, worker_id, status, completed_on, certificate_number)
            SELECT (SELECT id FROM courses ORDER BY id OFFSET (w.id % (SELECT count(*) FROM courses)) LIMIT 1), w.id, 'completed', DATE '2026-03-05', 'CC-' || w.id
            FROM workers w WHERE w.id % 5 = 0
            ON CONFLICT (course_id, worker_id, province_code) DO NOTHING;
            INSERT INTO placements (worker_id, channel, start_date, evidence) SELECT id, 'job_fair', DATE '2026-06-01', 'Biên bản' FROM workers WHERE id % 13 = 0;
            INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure, departure_date)
            SELECT id, 'JP', '8121', 36, CURRENT_DATE - 100, CURRENT_DATE - 100 FROM workers WHERE id % 17 = 0;
            INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure)
            SELECT id, 'KR', '8121', 36, CURRENT_DATE + 30 FROM workers WHERE id % 19 = 0;
            UPDATE worker_consents SET withdrawn_at = now() WHERE worker_id % 23 = 0;
            INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts)
            SELECT v.id, w.id, 'referred', 0, '[]'::jsonb FROM vacancies v JOIN workers w ON (w.id + v.id) % 29 = 0;
            UPDATE vacancies SET min_age = 25, max_age = 35 WHERE id % 4 = 1;
            UPDATE vacancies SET open_to_abroad_bound = true WHERE id % 3 = 0;
            UPDATE wards_2025 SET lat = NULL WHERE ward_code IN (SELECT ward_code FROM workers ORDER BY id LIMIT 3);
            """,
            url: url
        )
    }
}
