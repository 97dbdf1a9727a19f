import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Issues and checks bearer secrets; only their hashes are stored.
public struct CredentialStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Callers recently found, when the service listens for credential changes (not in the CLI).
    let cache: CredentialCache?

    public init(client: PostgresClient, logger: Logger) {
        self.init(client: client, logger: logger, cache: nil)
    }

    init(client: PostgresClient, logger: Logger, cache: CredentialCache?) {
        self.client = client
        self.logger = logger
        self.cache = cache
    }

    /// The caller a secret belongs to, or nil if it is unknown, revoked or expired. Its use is
    /// written to `last_used_at` about once a minute (by the service, which has a cache; with
    /// `CREDENTIAL_CACHE=false` it keeps no callers but still remembers when it wrote each use).
    func principal(for secret: SecretToken) async throws -> Principal? {
        guard let cache = self.cache else { return try await self.lookUp(secret)?.principal }
        let hash = Data(secret.hash)
        let (cached, generation) = cache.entry(forHash: hash)
        let found: CredentialCache.Entry
        if let cached {
            found = cached
        } else {
            guard let entry = try await self.lookUp(secret) else { return nil }
            cache.remember(entry.principal, forHash: hash, generation: generation, credential: entry.credential, expiresAt: entry.expiresAt)
            found = entry
        }
        if let credential = found.credential, cache.useIsDue(credential) { await self.recordUse(of: credential) }
        return found.principal
    }

    /// Writes `last_used_at` now, unless another instance wrote it less than a minute ago. A failure
    /// is logged, never the caller's: the request does not depend on it.
    private func recordUse(of credential: CredentialID) async {
        let seconds = Int(CredentialCache.useInterval.components.seconds)
        do {
            try await self.client.query(
                """
                UPDATE \(unescaped: credential.table.rawValue) SET last_used_at = now()
                WHERE id = \(credential.rowID) AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => \(seconds)))
                """,
                logger: self.logger
            )
        } catch {
            self.logger.warning("last use of a credential not recorded", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }

    private func lookUp(_ secret: SecretToken) async throws -> CredentialCache.Entry? {
        switch secret.kind {
        case .staff:
            let rows = try await self.client.query(
                """
                SELECT t.id, u.id, u.username, u.role, t.expires_at FROM staff_tokens t JOIN staff_users u ON u.id = t.staff_user_id
                WHERE t.token_hash = \(secret.hashBuffer) AND t.revoked_at IS NULL AND u.is_active
                  AND (t.expires_at IS NULL OR t.expires_at > now())
                """,
                logger: self.logger
            )
            for try await (tokenID, id, username, role, expiresAt) in rows.decode((Int64, Int64, String, String, Date?).self) {
                guard let role = StaffRole(rawValue: role) else { return nil }
                return .init(principal: .staff(id: id, username: username, role: role), credential: .staffToken(tokenID), expiresAt: expiresAt)
            }
        case .employer:
            let rows = try await self.client.query(
                """
                SELECT id, employer_id, expires_at FROM employer_api_keys
                WHERE key_hash = \(secret.hashBuffer) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                """,
                logger: self.logger
            )
            for try await (keyID, employerID, expiresAt) in rows.decode((Int64, Int64, Date?).self) {
                return .init(principal: .employer(employerID: employerID, keyID: keyID), credential: .employerKey(keyID), expiresAt: expiresAt)
            }
        case .session, nil:
            return nil  // a web session's cookie is not a bearer credential
        }
        return nil
    }

    /// Creates a staff account and its first API token; returns the token (shown once).
    public func addStaff(
        username: String,
        role: StaffRole,
        displayName: String = "",
        expiresOn: LocalDate? = nil
    ) async throws -> (id: Int64, token: SecretToken) {
        let token = SecretToken.generate(.staff)
        let id = try await self.client.withTransaction(logger: self.logger) { tx in
            let rows = try await tx.query(
                "INSERT INTO staff_users (username, role, display_name) VALUES (\(username), \(role.rawValue), \(displayName)) RETURNING id",
                logger: self.logger
            )
            let id = try await rows.decode(Int64.self).first { _ in true }!
            try await tx.query(
                """
                INSERT INTO staff_tokens (staff_user_id, prefix, token_hash, expires_at)
                VALUES (\(id), \(token.prefix), \(token.hashBuffer), \(CredentialExpiry.instant(expiresOn)))
                """,
                logger: self.logger
            )
            try await AuditLog.record(
                on: tx,
                actor: nil,
                action: "create",
                entity: "staff_user",
                entityID: id,
                after: ["username": username, "role": role.rawValue, "token_expires_on": expiresOn?.description ?? ""],
                logger: self.logger
            )
            return id
        }
        return (id, token)
    }

    /// Issues a new API key for an employer; returns it (shown once), or nil if no such employer.
    public func issueEmployerKey(employerID: Int64, expiresOn: LocalDate? = nil, by actor: Principal?) async throws -> SecretToken? {
        let key = SecretToken.generate(.employer)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            let exists = try await tx.query("SELECT 1 FROM employers WHERE id = \(employerID) FOR UPDATE", logger: self.logger)
            guard try await exists.decode(Int.self).first(where: { _ in true }) != nil else { return nil }
            let rows = try await tx.query(
                """
                INSERT INTO employer_api_keys (employer_id, prefix, key_hash, expires_at)
                VALUES (\(employerID), \(key.prefix), \(key.hashBuffer), \(CredentialExpiry.instant(expiresOn))) RETURNING id
                """,
                logger: self.logger
            )
            let keyID = try await rows.decode(Int64.self).first { _ in true }!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "issue_key",
                entity: "employer",
                entityID: employerID,
                after: ["key_id": "\(keyID)", "prefix": key.prefix, "expires_on": expiresOn?.description ?? ""],
                logger: self.logger
            )
            return key
        }
    }
}

extension SecretToken {
    /// The hash as the `bytea` PostgreSQL stores.
    var hashBuffer: ByteBuffer { ByteBuffer(bytes: self.hash) }
}

extension CredentialStore {
    /// An employer API key as staff see it: never the key, only its prefix.
    public typealias EmployerKey = IssuedCredential

    /// The employer's keys, newest first; nil if there is no such employer.
    public func employerKeys(employerID: Int64) async throws -> [EmployerKey]? {
        guard try await self.client.query("SELECT 1 FROM employers WHERE id = \(employerID)", logger: self.logger).first(Int.self) != nil
        else { return nil }
        return try await self.issued(.employerKeys, ownerID: employerID)
    }

    /// Revokes a key at once; returns its employer, or nil if there is no such key. Revoking a
    /// revoked key changes nothing.
    public func revokeEmployerKey(keyID: Int64, by actor: Principal?) async throws -> Int64? {
        // The listener hears of it too, a moment later; this service forgets the key at once.
        defer { self.cache?.clear() }
        return try await self.client.withTransaction(logger: self.logger) { tx in
            guard
                let (employerID, revoked) = try await tx.query(
                    "SELECT employer_id, revoked_at IS NOT NULL FROM employer_api_keys WHERE id = \(keyID) FOR UPDATE",
                    logger: self.logger
                ).decode((Int64, Bool).self).first(where: { _ in true })
            else { return nil }
            if !revoked {
                try await tx.query("UPDATE employer_api_keys SET revoked_at = now() WHERE id = \(keyID)", logger: self.logger)
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "revoke_key",
                    entity: "employer",
                    entityID: employerID,
                    after: ["key_id": "\(keyID)"],
                    logger: self.logger
                )
            }
            return employerID
        }
    }

    /// Replaces a key: a new key is issued and the old one revoked in the same transaction.
    /// Returns the new key (shown once), or nil if there is no such live key.
    public func rotateEmployerKey(keyID: Int64, by actor: Principal?) async throws -> (employerID: Int64, key: SecretToken)? {
        let key = SecretToken.generate(.employer)
        defer { self.cache?.clear() }
        return try await self.client.withTransaction(logger: self.logger) { tx in
            guard
                let employerID = try await tx.query(
                    "SELECT employer_id FROM employer_api_keys WHERE id = \(keyID) AND revoked_at IS NULL FOR UPDATE",
                    logger: self.logger
                ).decode(Int64.self).first(where: { _ in true })
            else { return nil }
            try await tx.query("UPDATE employer_api_keys SET revoked_at = now() WHERE id = \(keyID)", logger: self.logger)
            // The new key keeps the old one's expiry while it lies ahead.
            let newID = try await tx.query(
                """
                INSERT INTO employer_api_keys (employer_id, prefix, key_hash, expires_at)
                SELECT employer_id, \(key.prefix), \(key.hashBuffer), CASE WHEN expires_at > now() THEN expires_at END
                FROM employer_api_keys WHERE id = \(keyID)
                RETURNING id
                """,
                logger: self.logger
            ).decode(Int64.self).first(where: { _ in true })!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "rotate_key",
                entity: "employer",
                entityID: employerID,
                before: ["key_id": "\(keyID)"],
                after: ["key_id": "\(newID)", "prefix": key.prefix],
                logger: self.logger
            )
            return (employerID, key)
        }
    }
}
