import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The batch ranks candidates in memory (`MatchingSnapshot`); one vacancy's list comes from SQL
/// (`CandidateFinder`). On a varied synthetic population they must give the same lists.
@Suite("Batch ranking in memory equals the SQL ranking")
struct MatchingSnapshotTests {
    @Test("for every vacancy and several list lengths, the same workers in the same order with the same points")
    func sameAsSQL() async throws {
        try await withTestApp { _, _, url in
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                _ = try await PopulationSeeder(client: client, logger: TestCluster.logger).seed(count: 400, seed: 7)
                _ = try await VacancySeeder(client: client, logger: TestCluster.logger).seed(vacancies: 12, seed: 7)
            }
            // Variety the seeders do not make: commutes, courses completed in related trades, placements,
            // contracts abroad (departed, about to leave), withdrawn consents, earlier referrals, ages,
            // vacancies open to workers about to leave, ward coordinates missing.
            try await execute("""
                SELECT setseed(0.42);
                UPDATE workers SET max_commute_km = (ARRAY[5, 10, 20, 40])[1 + (id % 4)] WHERE id % 3 = 0;
                UPDATE workers SET ethnicity = 'Khmer' WHERE id % 7 = 0;
                UPDATE workers SET disability_type = 'visual', disability_severity = 'mild' WHERE id % 11 = 0;
                INSERT INTO courses (title, occupation_code, level, start_date, end_date, seats)
                SELECT 'Khóa ' || code, code, 'so_cap', DATE '2026-01-05', DATE '2026-03-05', 100
                FROM (SELECT DISTINCT occupation_code AS code FROM vacancies) c;
                INSERT INTO enrolments (course_id, worker_id, status, completed_on, certificate_number)
                SELECT (SELECT id FROM courses ORDER BY id OFFSET (w.id % (SELECT count(*) FROM courses)) LIMIT 1), w.id, 'completed', DATE '2026-03-05', 'CC-' || w.id
                FROM workers w WHERE w.id % 5 = 0;
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
                """, url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.withConnection { connection in
                    let today = LocalDate.today()
                    let weights = try await MatchWeightsRoutes.load(on: connection, logger: TestCluster.logger)
                    let vacancies = try await BatchMatcher.openVacancies(today: today, on: connection, logger: TestCluster.logger)
                    #expect(vacancies.count == 12)
                    let snapshot = try await MatchingSnapshot.load(today: today, weights: weights, vacancies: vacancies.map(\.facts.id),
                                                                  on: connection, logger: TestCluster.logger)
                    let finder = CandidateFinder(connection: connection, logger: TestCluster.logger)
                    var compared = 0
                    for vacancy in vacancies {
                        for limit in [1, 5, 20, 200] {
                            let sql = try await finder.candidates(vacancyID: vacancy.facts.id, limit: limit, today: today, weights: weights)
                            let memory = snapshot.candidates(for: vacancy.facts, limit: limit)
                            #expect(memory.map { snapshot.workers[$0.worker].id } == sql.map(\.workerID), "vacancy \(vacancy.facts.id), limit \(limit)")
                            #expect(memory.map(\.points) == sql.map(\.score.total), "vacancy \(vacancy.facts.id), limit \(limit)")
                            compared += sql.count
                        }
                    }
                    #expect(compared > 1000)
                }
            }
        }
    }
}
