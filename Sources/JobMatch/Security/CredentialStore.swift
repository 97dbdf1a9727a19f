import Logging
import PostgresNIO

/// Issues and checks bearer secrets; only their hashes are stored.
public struct CredentialStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The caller a secret belongs to, or nil if it is unknown or revoked.
    func principal(for secret: SecretToken) async throws -> Principal? {
        switch secret.kind {
        case .staff:
            let rows = try await self.client.query(
                """
                SELECT u.id, u.username, u.role FROM staff_tokens t JOIN staff_users u ON u.id = t.staff_user_id
                WHERE t.token_hash = \(secret.hashBuffer) AND t.revoked_at IS NULL AND u.is_active
                """,
                logger: self.logger
            )
            for try await (id, username, role) in rows.decode((Int64, String, String).self) {
                guard let role = StaffRole(rawValue: role) else { return nil }
                return .staff(id: id, username: username, role: role)
            }
        case .employer:
            let rows = try await self.client.query(
                "SELECT id, employer_id FROM employer_api_keys WHERE key_hash = \(secret.hashBuffer) AND revoked_at IS NULL",
                logger: self.logger
            )
            for try await (keyID, employerID) in rows.decode((Int64, Int64).self) {
                return .employer(employerID: employerID, keyID: keyID)
            }
        case nil:
            return nil
        }
        return nil
    }

    /// Creates a staff account and its first API token; returns the token (shown once).
    public func addStaff(username: String, role: StaffRole, displayName: String = "") async throws -> (id: Int64, token: SecretToken) {
        let token = SecretToken.generate(.staff)
        let id = try await self.client.withTransaction(logger: self.logger) { tx in
            let rows = try await tx.query(
                "INSERT INTO staff_users (username, role, display_name) VALUES (\(username), \(role.rawValue), \(displayName)) RETURNING id",
                logger: self.logger
            )
            let id = try await rows.decode(Int64.self).first { _ in true }!
            try await tx.query(
                "INSERT INTO staff_tokens (staff_user_id, prefix, token_hash) VALUES (\(id), \(token.prefix), \(token.hashBuffer))",
                logger: self.logger
            )
            try await AuditLog.record(on: tx, actor: nil, action: "create", entity: "staff_user", entityID: id,
                                      after: ["username": username, "role": role.rawValue], logger: self.logger)
            return id
        }
        return (id, token)
    }

    /// Issues a new API key for an employer; returns it (shown once), or nil if no such employer.
    public func issueEmployerKey(employerID: Int64, by actor: Principal?) async throws -> SecretToken? {
        let key = SecretToken.generate(.employer)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            let exists = try await tx.query("SELECT 1 FROM employers WHERE id = \(employerID) FOR UPDATE", logger: self.logger)
            guard try await exists.decode(Int.self).first(where: { _ in true }) != nil else { return nil }
            let rows = try await tx.query(
                "INSERT INTO employer_api_keys (employer_id, prefix, key_hash) VALUES (\(employerID), \(key.prefix), \(key.hashBuffer)) RETURNING id",
                logger: self.logger
            )
            let keyID = try await rows.decode(Int64.self).first { _ in true }!
            try await AuditLog.record(on: tx, actor: actor, action: "issue_key", entity: "employer", entityID: employerID,
                                      after: ["key_id": "\(keyID)", "prefix": key.prefix], logger: self.logger)
            return key
        }
    }
}

extension SecretToken {
    /// The hash as the `bytea` PostgreSQL stores.
    var hashBuffer: ByteBuffer { ByteBuffer(bytes: self.hash) }
}
