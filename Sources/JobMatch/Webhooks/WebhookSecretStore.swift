import Logging
import PostgresNIO

/// The sealed signing secrets of `employer_webhooks`: sealing the plain ones left by earlier
/// versions, and re-sealing every secret with the current key after a rotation.
public struct WebhookSecretStore: Sendable {
    let client: PostgresClient
    let keyring: WebhookSecretKeyring
    let logger: Logger

    public init(client: PostgresClient, keyring: WebhookSecretKeyring, logger: Logger) {
        self.client = client
        self.keyring = keyring
        self.logger = logger
    }

    /// What a rekey did: secrets re-sealed with the current key, and those no configured key opens.
    public struct Outcome: Sendable {
        public let resealed: Int
        public let unopenable: Int
    }

    /// Seals every plain secret (rows from before migration 0023) and empties its plain column;
    /// run at every start, and by `rekey`. Returns how many were sealed.
    @discardableResult
    public func sealPlain() async throws -> Int {
        let logger = self.logger
        let keyring = self.keyring
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query("SELECT id, secret FROM employer_webhooks WHERE secret IS NOT NULL FOR UPDATE", logger: logger)
                .decode((Int64, String).self).collect()
            for (id, secret) in rows {
                let sealed = try keyring.seal(secret)
                try await tx.query(
                    """
                    UPDATE employer_webhooks SET secret = NULL, secret_key_id = \(sealed.keyID), secret_sealed = \(ByteBuffer(bytes: sealed.bytes))
                    WHERE id = \(id)
                    """,
                    logger: logger
                )
            }
            if !rows.isEmpty { logger.notice("Sealed plain webhook secrets", metadata: ["count": "\(rows.count)"]) }
            return rows.count
        }
    }

    /// Re-seals with the current key every secret sealed with another (an old key must still be
    /// configured to open it); seals plain ones too. Secrets no key opens are left as they are and counted.
    public func rekey() async throws -> Outcome {
        try await self.sealPlain()
        let logger = self.logger
        let keyring = self.keyring
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT id, secret_key_id, secret_sealed FROM employer_webhooks
                WHERE secret_sealed IS NOT NULL AND secret_key_id <> \(keyring.currentID) FOR UPDATE
                """,
                logger: logger
            ).decode((Int64, String, ByteBuffer).self).collect()
            var resealed = 0
            var unopenable = 0
            for (id, keyID, bytes) in rows {
                guard let secret = try? keyring.open(.init(keyID: keyID, bytes: Array(bytes.readableBytesView))) else {
                    unopenable += 1
                    continue
                }
                let sealed = try keyring.seal(secret)
                try await tx.query(
                    "UPDATE employer_webhooks SET secret_key_id = \(sealed.keyID), secret_sealed = \(ByteBuffer(bytes: sealed.bytes)) WHERE id = \(id)",
                    logger: logger
                )
                resealed += 1
            }
            return Outcome(resealed: resealed, unopenable: unopenable)
        }
    }
}
