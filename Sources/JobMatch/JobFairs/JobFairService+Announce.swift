import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension JobFairService {
    /// Announces session `id` ("Gửi tin báo phiên"): a message to each worker seeking work who lives
    /// in its ward, seeks an occupation one of its vacancies offers and consented to messages
    /// (`MessageNotices.queueJobFairNotice`, in this transaction; a worker is told once). Returns how
    /// many messages were queued. Refused: a cancelled session (409), a day gone by (422).
    func announce(_ id: Int64, actor: Principal, logger: Logger) async throws -> Int {
        try await self.client.withTransaction(logger: logger) { tx in
            let day = try await Self.lockOpen(id, forUpdate: true, on: tx, logger: logger)
            guard day >= LocalDate.today() else { throw AppError.invalid(field: "held_on", "Phiên đã diễn ra; không gửi tin báo được.") }
            let place = try await tx.query(
                "SELECT f.place || ', ' || w.ward_name FROM job_fairs f JOIN wards_2025 w ON w.ward_code = f.ward_code WHERE f.id = \(id)",
                logger: logger
            ).first(String.self)!
            // Each worker once, told of the first vacancy (by id) in their occupation.
            let rows = try await tx.query(
                """
                SELECT DISTINCT ON (w.id) w.id, coalesce(o.title_vi, o.title_en)
                FROM job_fairs f
                JOIN job_fair_vacancies fv ON fv.job_fair_id = f.id
                JOIN vacancies v ON v.id = fv.vacancy_id
                JOIN occupations o ON o.code = v.occupation_code
                JOIN worker_occupations wo ON wo.occupation_code = v.occupation_code
                JOIN workers w ON w.id = wo.worker_id AND w.ward_code = f.ward_code
                WHERE f.id = \(id) AND w.job_seeking_status = 'seeking' AND w.anonymised_at IS NULL AND w.merged_into IS NULL
                  AND EXISTS (SELECT 1 FROM worker_consents c WHERE c.worker_id = w.id AND c.purpose = 'messages' AND c.withdrawn_at IS NULL)
                ORDER BY w.id, v.id
                """,
                logger: logger
            )
            var byOccupation: [String: [Int64]] = [:]
            for try await (worker, occupation) in rows.decode((Int64, String).self) { byOccupation[occupation, default: []].append(worker) }
            var queued = 0
            for (occupation, workers) in byOccupation.sorted(by: { $0.key < $1.key }) {
                queued += try await MessageNotices.queueJobFairNotice(
                    JobFairNotice(fairKey: "\(id)", day: day, place: String(place.prefix(200)), occupation: String(occupation.prefix(200))),
                    workers: workers,
                    actor: actor,
                    on: tx,
                    logger: logger
                )
            }
            try await tx.query("UPDATE job_fairs SET announced_at = now() WHERE id = \(id)", logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "announce",
                entity: "job_fair",
                entityID: id,
                after: ["queued": "\(queued)"],
                logger: logger
            )
            return queued
        }
    }
}
