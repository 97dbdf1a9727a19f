import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension CredentialStore {
    /// A staff API token as admins see it: never the token, only its prefix.
    public typealias StaffToken = IssuedCredential

    /// A new API token for an active staff account (shown once), working through `expiresOn`
    /// when given; nil when there is no such active account.
    public func issueStaffToken(username: String, expiresOn: LocalDate?, by actor: Principal?) async throws -> SecretToken? {
        let token = SecretToken.generate(.staff)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            guard
                let id = try await tx.query(
                    "SELECT id FROM staff_users WHERE username = \(username) AND is_active FOR UPDATE",
                    logger: self.logger
                ).first(Int64.self)
            else { return nil }
            let tokenID = try await tx.query(
                """
                INSERT INTO staff_tokens (staff_user_id, prefix, token_hash, expires_at)
                VALUES (\(id), \(token.prefix), \(token.hashBuffer), \(CredentialExpiry.instant(expiresOn))) RETURNING id
                """,
                logger: self.logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "issue_token",
                entity: "staff_user",
                entityID: id,
                after: ["token_id": "\(tokenID)", "prefix": token.prefix, "expires_on": expiresOn?.description ?? ""],
                logger: self.logger
            )
            return token
        }
    }

    /// The account's API tokens, newest first (empty for an unknown account).
    public func staffTokens(staffID: Int64) async throws -> [StaffToken] {
        try await self.issued(.staffTokens, ownerID: staffID)
    }

    /// The account's tokens by its login name; nil when there is no such account.
    public func staffTokens(username: String) async throws -> [StaffToken]? {
        guard let id = try await self.client.query("SELECT id FROM staff_users WHERE username = \(username)", logger: self.logger).first(Int64.self)
        else { return nil }
        return try await self.staffTokens(staffID: id)
    }
}
