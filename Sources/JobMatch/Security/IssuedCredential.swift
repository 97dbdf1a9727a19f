import Logging
import PostgresNIO

/// The two tables of bearer credentials, and the column naming whose each row is.
enum CredentialTable: String, Sendable {
    case staffTokens = "staff_tokens"
    case employerKeys = "employer_api_keys"

    var ownerColumn: String {
        switch self {
        case .staffTokens: "staff_user_id"
        case .employerKeys: "employer_id"
        }
    }
}

extension CredentialID {
    var table: CredentialTable {
        switch self {
        case .staffToken: .staffTokens
        case .employerKey: .employerKeys
        }
    }

    var rowID: Int64 {
        switch self {
        case .staffToken(let id), .employerKey(let id): id
        }
    }
}

extension CredentialStore {
    /// A staff token or an employer key as staff see it: never the secret, only its prefix.
    public struct IssuedCredential: Sendable, Codable {
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

    /// The credentials of one owner (an account's tokens, an employer's keys), newest first.
    func issued(_ table: CredentialTable, ownerID: Int64) async throws -> [IssuedCredential] {
        let rows = try await self.client.query(
            """
            SELECT id, prefix, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), to_char(last_used_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'),
                   to_char(revoked_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), to_char(expires_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'),
                   to_char((expires_at - interval '1 second') AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'), coalesce(expires_at <= now(), false)
            FROM \(unescaped: table.rawValue) WHERE \(unescaped: table.ownerColumn) = \(ownerID) ORDER BY id DESC
            """,
            logger: self.logger
        )
        var credentials: [IssuedCredential] = []
        for try await (id, prefix, created, used, revoked, expires, lastDay, expired)
            in rows.decode((Int64, String, String, String?, String?, String?, String?, Bool).self)
        {
            credentials.append(
                IssuedCredential(
                    id: id,
                    prefix: prefix,
                    createdAt: created,
                    lastUsedAt: used,
                    revokedAt: revoked,
                    expiresAt: expires,
                    expiresOn: lastDay,
                    expired: expired
                )
            )
        }
        return credentials
    }
}
