import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Messages that are not a step of a referral: a job fair announced to the workers it suits, and
/// the follow-up calls announced when they fall due.
struct MessageNotices: Sendable {
    let client: PostgresClient

    /// Queues a fair's notice to `workers` (those with a phone and consent get one, once per fair);
    /// returns how many were queued. Audited. 422 with the field for a fair in the past, an empty
    /// place or occupation, or no workers.
    func queueJobFairNotice(_ notice: JobFairNotice, workers: [Int64], actor: Principal?, logger: Logger) async throws -> Int {
        try await self.client.withTransaction(logger: logger) { tx in
            try await Self.queueJobFairNotice(notice, workers: workers, actor: actor, on: tx, logger: logger)
        }
    }

    /// The same inside the caller's transaction (the fair's own, when it is recorded).
    static func queueJobFairNotice(
        _ notice: JobFairNotice,
        workers: [Int64],
        actor: Principal?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        guard notice.day >= LocalDate.today() else { throw AppError.invalid(field: "date", "Ngày phiên giao dịch việc làm không thể ở quá khứ.") }
        let place = try CleanText.required(notice.place, field: "place", label: "Địa điểm", maxLength: 200)
        let occupation = try CleanText.required(notice.occupation, field: "occupation", label: "Nghề tuyển", maxLength: 200)
        let key = try CleanText.required(notice.fairKey, field: "fair", label: "Mã phiên", maxLength: 100)
        guard !workers.isEmpty, workers.count <= 10_000 else {
            throw AppError.invalid(field: "workers", "Cần từ 1 đến 10.000 người lao động để gửi thông báo.")
        }
        let queued = try await MessageQueue.queue(
            kind: .jobFair,
            source: "job_fair:\(key)",
            body: MessageText.jobFair(on: notice.day, place: place, occupation: occupation),
            workers: workers,
            queuedBy: actor?.staffID,
            on: tx,
            logger: logger
        )
        try await AuditLog.record(
            on: tx,
            actor: actor,
            action: "queue_messages",
            entity: "job_fair",
            entityID: nil,
            after: ["fair": key, "workers": "\(workers.count)", "queued": "\(queued)"],
            logger: logger
        )
        return queued
    }

    /// Announces the follow-up calls that fell due in the last 14 days (3, 6, 12 months after a
    /// counted job, not abroad, no outcome recorded yet) to the workers who consented; returns how
    /// many messages were queued. Run by the message rounds; a call announced once is not again.
    func announceFollowUps(today: LocalDate, logger: Logger) async throws -> Int {
        let d = today.description
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT p.id, p.worker_id, coalesce(e.name, ''), m.months
                FROM countable_placements(end_of_day(\(d)::date)) p
                CROSS JOIN (VALUES (3), (6), (12)) m (months)
                JOIN workers w ON w.id = p.worker_id
                LEFT JOIN employers e ON e.id = p.employer_id
                WHERE p.channel <> 'overseas_departure' AND w.phone IS NOT NULL AND w.anonymised_at IS NULL
                  AND (p.start_date + make_interval(months => m.months))::date BETWEEN \(d)::date - 14 AND \(d)::date
                  AND NOT EXISTS (SELECT 1 FROM placement_follow_ups f WHERE f.placement_id = p.id AND f.months = m.months)
                  AND NOT EXISTS (SELECT 1 FROM worker_messages q WHERE q.worker_id = p.worker_id
                                  AND q.source = 'follow_up:' || p.id || ':' || m.months)
                  AND EXISTS (SELECT 1 FROM worker_consents c WHERE c.worker_id = p.worker_id AND c.purpose = 'messages' AND c.withdrawn_at IS NULL)
                ORDER BY p.id, m.months
                LIMIT 500
                """,
                logger: logger
            )
            var due: [(Int64, Int64, String, Int)] = []
            for try await row in rows.decode((Int64, Int64, String, Int).self) { due.append(row) }
            var queued = 0
            for (placement, worker, employer, months) in due {
                queued += try await MessageQueue.queue(
                    kind: .followUp,
                    source: "follow_up:\(placement):\(months)",
                    body: MessageText.followUp(months: months, employer: employer),
                    workers: [worker],
                    queuedBy: nil,
                    on: tx,
                    logger: logger
                )
            }
            return queued
        }
    }
}
