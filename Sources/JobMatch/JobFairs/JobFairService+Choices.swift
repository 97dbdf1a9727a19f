import Foundation
import Logging
import PostgresNIO

extension JobFairService {
    /// What the session page's forms offer: employers not yet taking part (by name, at most 500) and
    /// the open vacancies of those taking part not yet brought.
    func choices(_ id: Int64, logger: Logger) async throws -> (employers: [(Int64, String)], vacancies: [(Int64, String)]) {
        try await self.client.withConnection { connection in
            let employers = try await connection.query(
                """
                SELECT e.id, e.name FROM employers e
                WHERE NOT EXISTS (SELECT 1 FROM job_fair_employers fe WHERE fe.job_fair_id = \(id) AND fe.employer_id = e.id)
                ORDER BY e.name, e.id LIMIT 500
                """,
                logger: logger
            ).decode((Int64, String).self).collect()
            let vacancies = try await connection.query(
                """
                SELECT v.id, v.title || ' · ' || e.name FROM job_fair_employers fe
                JOIN vacancies v ON v.employer_id = fe.employer_id JOIN employers e ON e.id = v.employer_id
                WHERE fe.job_fair_id = \(id) AND v.status = 'open'
                  AND NOT EXISTS (SELECT 1 FROM job_fair_vacancies fv WHERE fv.job_fair_id = \(id) AND fv.vacancy_id = v.id)
                ORDER BY e.name, v.id LIMIT 500
                """,
                logger: logger
            ).decode((Int64, String).self).collect()
            return (employers, vacancies)
        }
    }
}
