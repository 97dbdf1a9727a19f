import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// The outbox as staff see it and act on it: list it (phone numbers only for officers and admins,
/// and that read is audited like an export), retry a failed message, print what waits (marking it
/// printed, audited) and read a printed list again.
struct MessageOutbox: Sendable {
    let client: PostgresClient

    /// Messages, newest first, in one state and of one kind when given. With `withPhones` the read
    /// is recorded in the audit log; without, phones are masked.
    func list(
        state: MessageState?,
        kind: MessageKind?,
        limit: Int,
        withPhones: Bool,
        actor: Principal?,
        logger: Logger
    ) async throws -> [OutboxMessage] {
        try await self.client.withTransaction(logger: logger) { tx in
            let messages = try await Self.read(
                where:
                    "(\(state?.rawValue)::text IS NULL OR m.state = \(state?.rawValue)) AND (\(kind?.rawValue)::text IS NULL OR m.kind = \(kind?.rawValue))",
                limit: limit,
                on: tx,
                logger: logger
            )
            if withPhones {
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "view",
                    entity: "worker_messages",
                    entityID: nil,
                    after: ["state": state?.rawValue ?? "", "kind": kind?.rawValue ?? "", "count": "\(messages.count)"],
                    logger: logger
                )
                return messages
            }
            return messages.map(Self.masked)
        }
    }

    /// Puts a failed message back in the queue (attempts from zero). 404 for no such message; 409
    /// unless it failed, or when the worker's consent to messages is no longer in force.
    func retry(_ id: Int64, actor: Principal?, logger: Logger) async throws -> OutboxMessage {
        try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (state, consents) = try await tx.query(
                    """
                    SELECT m.state, EXISTS (SELECT 1 FROM worker_consents c WHERE c.worker_id = m.worker_id AND c.purpose = 'messages'
                                                                    AND c.withdrawn_at IS NULL)
                    FROM worker_messages m WHERE m.id = \(id) FOR UPDATE
                    """,
                    logger: logger
                ).decode((String, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("tin nhắn \(id)") }
            guard state == MessageState.failed.rawValue else {
                throw AppError.conflict("Chỉ gửi lại được tin nhắn đã gửi không được; tin nhắn này đang ở trạng thái '\(state)'.")
            }
            guard consents else { throw AppError.conflict("Người lao động không còn đồng ý nhận tin nhắn; không gửi lại.") }
            try await tx.query(
                "UPDATE worker_messages SET state = 'queued', attempts = 0, next_attempt_at = now() WHERE id = \(id) AND phone IS NOT NULL",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "retry",
                entity: "worker_message",
                entityID: id,
                before: ["state": state],
                after: ["state": "queued"],
                logger: logger
            )
            return try await Self.read(where: "m.id = \(id)", limit: 1, on: tx, logger: logger)[0]
        }
    }

    /// Marks the messages waiting (of one kind when given, at most 500, oldest first) printed, as
    /// one list; returns the list's number, or nil when nothing waits. Audited.
    func print(kind: MessageKind?, actor: Principal?, logger: Logger) async throws -> Int64? {
        try await self.client.withTransaction(logger: logger) { tx in
            let batch = try await tx.query("SELECT nextval('worker_message_print_batches')", logger: logger).first(Int64.self)!
            let rows = try await tx.query(
                """
                UPDATE worker_messages m SET state = 'printed', printed_at = now(), print_batch = \(batch)
                FROM (SELECT id FROM worker_messages WHERE state = 'queued' AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
                      ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED) pick
                WHERE m.id = pick.id
                RETURNING m.id
                """,
                logger: logger
            )
            var count = 0
            for try await _ in rows { count += 1 }
            guard count > 0 else { return nil }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "print",
                entity: "worker_messages",
                entityID: batch,
                after: ["kind": kind?.rawValue ?? "", "count": "\(count)"],
                logger: logger
            )
            return batch
        }
    }

    /// A printed list again (with phones), oldest first; 404 when there is none. Audited.
    func printed(_ batch: Int64, actor: Principal?, logger: Logger) async throws -> [OutboxMessage] {
        try await self.client.withTransaction(logger: logger) { tx in
            let messages = try await Self.read(where: "m.print_batch = \(batch)", limit: 500, oldestFirst: true, on: tx, logger: logger)
            guard !messages.isEmpty else { throw AppError.notFound("danh sách tin nhắn in số \(batch)") }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "export",
                entity: "worker_messages",
                entityID: batch,
                after: ["count": "\(messages.count)"],
                logger: logger
            )
            return messages
        }
    }

    /// Cancels a worker's messages not yet sent (consent to messages withdrawn), in the caller's transaction.
    static func cancelUnsent(workerID: Int64, on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query(
            """
            UPDATE worker_messages SET state = 'cancelled', last_error = 'Người lao động đã rút lại sự đồng ý nhận tin nhắn.'
            WHERE worker_id = \(workerID) AND state IN ('queued', 'sending', 'failed')
            """,
            logger: logger
        )
    }

    /// A message with its phone masked (for viewers).
    static func masked(_ message: OutboxMessage) -> OutboxMessage {
        OutboxMessage(
            id: message.id,
            workerId: message.workerId,
            workerName: message.workerName,
            kind: message.kind,
            body: message.body,
            phone: message.phone.map(PersonalDataMask.phone),
            state: message.state,
            attempts: message.attempts,
            lastError: message.lastError,
            createdAt: message.createdAt,
            nextAttemptAt: message.nextAttemptAt,
            sentAt: message.sentAt,
            printedAt: message.printedAt,
            printBatch: message.printBatch
        )
    }

    /// The messages matching `condition` (over `worker_messages m`).
    static func read(
        where condition: PostgresQuery,
        limit: Int,
        oldestFirst: Bool = false,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [OutboxMessage] {
        let moment = "YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\""
        let sql = PostgresQuery(
            unsafeSQL: """
                SELECT m.id, m.worker_id, w.full_name, m.kind, m.body, m.phone, m.state, m.attempts, m.last_error,
                       to_char(m.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', '\(moment)'),
                       CASE WHEN m.state IN ('queued', 'sending') THEN to_char(m.next_attempt_at AT TIME ZONE 'Asia/Ho_Chi_Minh', '\(moment)') END,
                       to_char(m.sent_at AT TIME ZONE 'Asia/Ho_Chi_Minh', '\(moment)'),
                       to_char(m.printed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', '\(moment)'), m.print_batch
                FROM worker_messages m JOIN workers w ON w.id = m.worker_id
                WHERE \(condition.sql)
                ORDER BY m.id \(oldestFirst ? "ASC" : "DESC") LIMIT \(limit)
                """,
            binds: condition.binds
        )
        let rows = try await connection.query(sql, logger: logger)
        var messages: [OutboxMessage] = []
        typealias Columns = (Int64, Int64, String, String, String, String?, String, Int, String?, String, String?, String?, String?, Int64?)
        for try await r in rows.decode(Columns.self) {
            messages.append(
                OutboxMessage(
                    id: r.0,
                    workerId: r.1,
                    workerName: r.2,
                    kind: r.3,
                    body: r.4,
                    phone: r.5,
                    state: r.6,
                    attempts: r.7,
                    lastError: r.8,
                    createdAt: r.9,
                    nextAttemptAt: r.10,
                    sentAt: r.11,
                    printedAt: r.12,
                    printBatch: r.13
                )
            )
        }
        return messages
    }
}
