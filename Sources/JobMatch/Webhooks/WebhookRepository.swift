import Crypto
import Foundation
import Logging
import PostgresNIO

/// Employers' webhooks and the deliveries queued for them (an outbox: an event is queued in the
/// transaction of the change it reports, and delivered afterwards by `WebhookDeliverer`). Employer
/// calls run in the caller's transaction when it brings one and log through its request logger.
struct WebhookRepository: Sendable {
    let client: PostgresClient
    let policy: WebhookTargetPolicy
    /// Seals the signing secret before it is stored (shown once to the employer, never stored plain).
    let keyring: WebhookSecretKeyring

    struct Webhook: Sendable {
        let id: Int64
        let url: String
        let secret: String?
        let createdAt: Date
    }

    /// At most this many live webhooks per employer.
    static let maximumPerEmployer = 5

    func create(url text: String, caller: EmployerCaller) async throws -> Webhook {
        let url = try await self.policy.check(text.trimmingCharacters(in: .whitespaces)).url
        let secret = "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        let sealed = try self.keyring.seal(secret)
        let logger = caller.logger
        return try await self.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            _ = try await tx.query("SELECT id FROM employers WHERE id = \(caller.employerID) FOR UPDATE", logger: logger)
            let live =
                try await tx.query(
                    "SELECT count(*)::int FROM employer_webhooks WHERE employer_id = \(caller.employerID) AND removed_at IS NULL",
                    logger: logger
                ).first(Int.self) ?? 0
            guard live < Self.maximumPerEmployer else {
                throw AppError.conflict("Mỗi doanh nghiệp có tối đa \(Self.maximumPerEmployer) webhook; hãy xóa bớt trước.")
            }
            let (id, micros) = try await tx.query(
                """
                INSERT INTO employer_webhooks (employer_id, url, secret_key_id, secret_sealed)
                VALUES (\(caller.employerID), \(url.absoluteString), \(sealed.keyID), \(ByteBuffer(bytes: sealed.bytes)))
                RETURNING id, (extract(epoch FROM created_at) * 1000000)::bigint
                """,
                logger: logger
            ).decode((Int64, Int64).self).first(where: { _ in true })!
            try await AuditLog.record(
                on: tx,
                actor: caller.principal,
                action: "create",
                entity: "webhook",
                entityID: id,
                after: ["url": url.absoluteString],
                logger: logger
            )
            return Webhook(id: id, url: url.absoluteString, secret: secret, createdAt: Date(timeIntervalSince1970: Double(micros) / 1e6))
        }
    }

    /// The employer's live webhooks (their secrets are never shown again).
    func list(caller: EmployerCaller) async throws -> [Webhook] {
        let employerID = caller.employerID
        let rows = try await self.client.query(
            """
            SELECT id, url, (extract(epoch FROM created_at) * 1000000)::bigint FROM employer_webhooks
            WHERE employer_id = \(employerID) AND removed_at IS NULL ORDER BY id
            """,
            logger: caller.logger
        )
        var hooks: [Webhook] = []
        for try await (id, url, micros) in rows.decode((Int64, String, Int64).self) {
            hooks.append(Webhook(id: id, url: url, secret: nil, createdAt: Date(timeIntervalSince1970: Double(micros) / 1e6)))
        }
        return hooks
    }

    /// Stops a webhook; its pending deliveries are given up. Another employer's webhook is not found.
    func remove(_ id: Int64, caller: EmployerCaller) async throws {
        let logger = caller.logger
        try await self.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            guard
                try await tx.query(
                    """
                    UPDATE employer_webhooks SET removed_at = now()
                    WHERE id = \(id) AND employer_id = \(caller.employerID) AND removed_at IS NULL RETURNING id
                    """,
                    logger: logger
                ).first(Int64.self) != nil
            else { throw AppError.notFound("webhook \(id)") }
            try await tx.query(
                """
                UPDATE webhook_deliveries SET gave_up_at = now(), last_error = 'webhook removed'
                WHERE webhook_id = \(id) AND delivered_at IS NULL AND gave_up_at IS NULL
                """,
                logger: logger
            )
            try await AuditLog.record(on: tx, actor: caller.principal, action: "remove", entity: "webhook", entityID: id, logger: logger)
        }
    }

    /// Queues `referral.created` for every live webhook of the vacancy's employer, in the
    /// caller's transaction. The payload names the referral only: the employer reads it with its key.
    static func enqueueReferralCreated(referralID: Int64, on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query(
            """
            INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at)
            SELECT h.id, 'referral.created',
                   json_build_object('event', 'referral.created', 'referral_id', r.id, 'vacancy_id', v.id, 'vacancy_reference', v.reference,
                                     'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                   now()
            FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employer_webhooks h ON h.employer_id = v.employer_id
            WHERE r.id = \(referralID) AND h.removed_at IS NULL
            """,
            logger: logger
        )
    }
}
