import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension CredentialStore {
    /// A staff API token as admins see it: never the token, only its prefix.
    public struct StaffToken: Sendable, Codable {
        public let id: Int64
        public let prefix: String
        public let createdAt: String
        public let lastUsedAt: String?
        public let revokedAt: String?
        /// When it stops working (nil: never), the last day it works (Vietnam's day, as given when
        /// issued), and whether that time has passed.
        public let expiresAt: String?
        public let expiresOn: String?
        public let expired: Bool
    }

    /// A new API token for an active staff account (shown once), working through `expiresOn`
    /// when given; nil when there is no such active account.
    public func issueStaffToken(username: String, expiresOn: LocalDate?, by actor: Principal?) async throws -> SecretToken? {
        let token = SecretToken.generate(.staff)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            guard let id = try await tx.query("SELECT id FROM staff_users WHERE username = \(username) AND is_active FOR UPDATE",
                                              logger: self.logger).first(Int64.self)
            else { return nil }
            let tokenID = try await tx.query(
                """
                INSERT INTO staff_tokens (staff_user_id, prefix, token_hash, expires_at)
                VALUES (\(id), \(token.prefix), \(token.hashBuffer), \(CredentialExpiry.instant(expiresOn))) RETURNING id
                """, logger: self.logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: actor, action: "issue_token", entity: "staff_user", entityID: id,
                                      after: ["token_id": "\(tokenID)", "prefix": token.prefix, "expires_on": expiresOn?.description ?? ""],
                                      logger: self.logger)
            return token
        }
    }

    /// The account's API tokens, newest first (empty for an unknown account).
    public func staffTokens(staffID: Int64) async throws -> [StaffToken] {
        let rows = try await self.client.query(
            """
            SELECT id, prefix, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), to_char(last_used_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'),
                   to_char(revoked_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), to_char(expires_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'),
                   to_char((expires_at - interval '1 second') AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'), coalesce(expires_at <= now(), false)
            FROM staff_tokens WHERE staff_user_id = \(staffID) ORDER BY id DESC
            """, logger: self.logger)
        var tokens: [StaffToken] = []
        for try await (id, prefix, created, used, revoked, expires, lastDay, expired)
                in rows.decode((Int64, String, String, String?, String?, String?, String?, Bool).self) {
            tokens.append(StaffToken(id: id, prefix: prefix, createdAt: created, lastUsedAt: used, revokedAt: revoked, expiresAt: expires,
                                     expiresOn: lastDay, expired: expired))
        }
        return tokens
    }

    /// The account's tokens by its login name; nil when there is no such account.
    public func staffTokens(username: String) async throws -> [StaffToken]? {
        guard let id = try await self.client.query("SELECT id FROM staff_users WHERE username = \(username)", logger: self.logger).first(Int64.self)
        else { return nil }
        return try await self.staffTokens(staffID: id)
    }
}
