import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Puts messages in the outbox, inside the transaction of the event they announce (a referral made,
/// an interview recorded, a fair, a follow-up call due). A worker gets one only with a phone, not
/// anonymised or merged away, and with a `messages` consent in force; one per event and worker, however
/// often the event is seen (`source`). The text is the Vietnamese one; the deliverer sends it
/// without diacritics when the gateway needs that, and keeps what it sent.
enum MessageQueue {
    /// Queues `body` for each of `workers` who may receive it; returns how many were queued.
    @discardableResult
    static func queue(
        kind: MessageKind,
        source: String,
        body: String,
        workers: [Int64],
        queuedBy staffID: Int64?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        let rows = try await tx.query(
            """
            INSERT INTO worker_messages (worker_id, kind, source, body, phone, queued_by)
            SELECT w.id, \(kind.rawValue), \(source), \(body), w.phone, \(staffID)
            FROM workers w
            WHERE w.id = ANY(\(workers)::bigint[]) AND w.phone IS NOT NULL AND w.anonymised_at IS NULL
              AND w.merged_into IS NULL
              AND EXISTS (SELECT 1 FROM worker_consents c
                          WHERE c.worker_id = w.id AND c.purpose = 'messages' AND c.withdrawn_at IS NULL AND c.given_at <= now())
            ORDER BY w.id
            ON CONFLICT (source, worker_id, province_code) DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    /// A referral made (or a proposal accepted): the vacancy's title and the employer's name.
    static func referralMade(_ referralID: Int64, queuedBy staffID: Int64?, on tx: PostgresConnection, logger: Logger) async throws {
        guard let (worker, title, employer) = try await self.referral(referralID, on: tx, logger: logger) else { return }
        try await self.queue(
            kind: .referral,
            source: "referral:\(referralID)",
            body: MessageText.referral(title: title, employer: employer),
            workers: [worker],
            queuedBy: staffID,
            on: tx,
            logger: logger
        )
    }

    /// An interview recorded, with its day and outcome.
    static func interviewRecorded(
        _ referralID: Int64,
        on day: LocalDate,
        outcome: String,
        queuedBy staffID: Int64?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        guard let (worker, title, employer) = try await self.referral(referralID, on: tx, logger: logger) else { return }
        try await self.queue(
            kind: .interview,
            source: "interview:\(referralID)",
            body: MessageText.interview(title: title, employer: employer, on: day, outcome: outcome),
            workers: [worker],
            queuedBy: staffID,
            on: tx,
            logger: logger
        )
    }

    /// The referred worker, the vacancy's title and the employer's name.
    private static func referral(_ id: Int64, on tx: PostgresConnection, logger: Logger) async throws -> (Int64, String, String)? {
        try await tx.query(
            """
            SELECT r.worker_id, v.title, e.name FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id
            WHERE r.id = \(id)
            """,
            logger: logger
        ).decode((Int64, String, String).self).first(where: { _ in true })
    }
}
