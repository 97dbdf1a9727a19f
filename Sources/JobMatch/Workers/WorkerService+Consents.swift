import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension WorkerService {
    /// A worker's consents, oldest first; 404 when there is no such worker.
    func consents(of id: Int64, logger: Logger) async throws -> [WorkerConsent] {
        try await self.client.withConnection { connection in
            try await Self.requireWorker(id, on: connection, logger: logger)
            return try await Self.consents(of: id, on: connection, logger: logger)
        }
    }

    /// Records a consent (`given_at` nil: now). Refused while the same purpose has a live consent,
    /// and for a merged or anonymised record.
    func giveConsent(
        to id: Int64,
        purpose: String,
        means: String,
        givenAt: String?,
        by actor: Principal,
        logger: Logger
    ) async throws -> WorkerConsent {
        let purpose = try Input.choice(purpose, as: ConsentPurpose.self, field: "purpose")
        let means = try Input.choice(means, as: ConsentMeans.self, field: "means")
        let givenAt = try Self.moment(givenAt, field: "given_at", label: "Thời điểm đồng ý")
        return try await self.client.withTransaction(logger: logger) { tx in
            try await Self.requireWorker(id, on: tx, logger: logger, lock: true)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            if try await tx.query(
                "SELECT 1 FROM worker_consents WHERE worker_id = \(id) AND purpose = \(purpose.rawValue) AND withdrawn_at IS NULL",
                logger: logger
            ).first(Int.self) != nil {
                throw AppError.conflict("Người lao động đang có sự đồng ý còn hiệu lực cho mục đích này.", field: "purpose")
            }
            let consentID = try await tx.query(
                """
                INSERT INTO worker_consents (worker_id, purpose, means, given_at, created_by)
                VALUES (\(id), \(purpose.rawValue), \(means.rawValue), COALESCE(\(givenAt)::timestamptz, now()), \(actor.staffID)) RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "give_consent",
                entity: "worker",
                entityID: id,
                after: ["consent_id": "\(consentID)", "purpose": purpose.rawValue, "means": means.rawValue],
                logger: logger
            )
            return try await Self.consents(of: id, on: tx, logger: logger).first { $0.id == consentID }!
        }
    }

    /// Records that a consent was withdrawn (`withdrawn_at` nil: now), never before it was given;
    /// withdrawing `messages` cancels the worker's messages not yet sent.
    func withdrawConsent(
        _ consentID: Int64,
        of id: Int64,
        means: String,
        withdrawnAt: String?,
        by actor: Principal,
        logger: Logger
    ) async throws -> WorkerConsent {
        let means = try Input.choice(means, as: ConsentMeans.self, field: "means")
        let withdrawnAt = try Self.moment(withdrawnAt, field: "withdrawn_at", label: "Thời điểm rút lại")
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (givenAt, withdrawn, purpose) = try await tx.query(
                    "SELECT given_at, withdrawn_at IS NOT NULL, purpose FROM worker_consents WHERE id = \(consentID) AND worker_id = \(id) FOR UPDATE",
                    logger: logger
                ).decode((Date, Bool, String).self).first(where: { _ in true })
            else { throw AppError.notFound("sự đồng ý \(consentID) của người lao động \(id)") }
            guard !withdrawn else { throw AppError.conflict("Sự đồng ý này đã được rút lại trước đó.") }
            if let withdrawnAt, let moment = ISO8601DateFormatter().date(from: withdrawnAt), moment < givenAt {
                throw AppError.invalid(field: "withdrawn_at", "Thời điểm rút lại không thể trước thời điểm đồng ý.")
            }
            try await tx.query(
                """
                UPDATE worker_consents SET withdrawn_at = COALESCE(\(withdrawnAt)::timestamptz, now()),
                       withdrawal_means = \(means.rawValue), withdrawn_by = \(actor.staffID)
                WHERE id = \(consentID)
                """,
                logger: logger
            )
            if purpose == ConsentPurpose.messages.rawValue {
                try await MessageOutbox.cancelUnsent(workerID: id, on: tx, logger: logger)
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "withdraw_consent",
                entity: "worker",
                entityID: id,
                before: ["consent_id": "\(consentID)", "withdrawn_at": ""],
                after: ["consent_id": "\(consentID)", "means": means.rawValue],
                logger: logger
            )
            return try await Self.consents(of: id, on: tx, logger: logger).first { $0.id == consentID }!
        }
    }

    /// 404 unless the worker exists; with `lock`, the row stays locked for the transaction.
    static func requireWorker(_ id: Int64, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws {
        let query: PostgresQuery = lock ? "SELECT id FROM workers WHERE id = \(id) FOR UPDATE" : "SELECT id FROM workers WHERE id = \(id)"
        guard try await connection.query(query, logger: logger).first(Int64.self) != nil else {
            throw AppError.notFound("người lao động \(id)")
        }
    }

    static func consents(of id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [WorkerConsent] {
        let rows = try await connection.query(
            """
            SELECT id, purpose, means, to_char(given_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
                   to_char(withdrawn_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'), withdrawal_means
            FROM worker_consents WHERE worker_id = \(id) ORDER BY given_at, id
            """,
            logger: logger
        )
        var consents: [WorkerConsent] = []
        for try await (consentID, purpose, means, given, withdrawn, withdrawalMeans) in rows.decode(
            (Int64, String, String, String, String?, String?).self
        ) {
            consents.append(
                WorkerConsent(
                    id: consentID,
                    purpose: purpose,
                    means: means,
                    givenAt: given,
                    withdrawnAt: withdrawn,
                    withdrawalMeans: withdrawalMeans
                )
            )
        }
        return consents
    }

    /// An ISO 8601 moment (`2026-03-01T09:00:00+07:00`) or a date (the start of that day in
    /// Vietnam); never in the future. Nil when absent (meaning now).
    static func moment(_ text: String?, field: String, label: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        let instant: Date
        if let parsed = ISO8601DateFormatter().date(from: text) {
            instant = parsed
        } else if let day = LocalDate(text) {
            return try self.moment("\(day.description)T00:00:00+07:00", field: field, label: label)
        } else {
            throw AppError.invalid(field: field, "\(label) phải có dạng yyyy-mm-dd hoặc yyyy-mm-ddThh:mm:ss+07:00.")
        }
        guard instant <= Date().addingTimeInterval(60) else { throw AppError.invalid(field: field, "\(label) không thể ở tương lai.") }
        return ISO8601DateFormatter().string(from: instant)
    }
}
