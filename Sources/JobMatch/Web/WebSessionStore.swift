import Crypto
import Foundation
import HummingbirdBcrypt
import JobMatchCore
import Logging
import NIOPosix
import PostgresNIO

/// A signed-in staff member's session in the web app.
struct WebSession: Sendable {
    let id: Int64
    let staffID: Int64
    let username: String
    let displayName: String
    let role: StaffRole
    /// The token every form of this session carries (`_csrf`).
    let csrfToken: String

    var principal: Principal { .staff(id: self.staffID, username: self.username, role: self.role) }
}

/// How long sessions last and how hard passwords are to hash.
struct WebSessionPolicy: Sendable {
    /// A session unused for this long is over.
    var idleTimeout: Duration = .seconds(30 * 60)
    /// A session is over this long after sign-in, however active.
    var absoluteTimeout: Duration = .seconds(12 * 3600)
    /// bcrypt's cost (12 in service; tests use the minimum, 4).
    var bcryptCost: UInt8 = 12
    /// Failed sign-ins for one username (or from one address) within `throttleWindow` before refusing.
    var maximumFailures = 5
    var throttleWindow: Duration = .seconds(15 * 60)
}

/// Signs staff in and out and finds their sessions. The cookie holds a random secret; the database
/// keeps only its SHA-256, so a copy of the database opens no session.
struct WebSessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let policy: WebSessionPolicy

    enum SignInResult: Sendable {
        case signedIn(secret: String, session: WebSession)
        /// Wrong username or password (never says which), or the account is inactive.
        case refused
        /// Too many failures recently: wait.
        case throttled
    }

    /// Checks the password (bcrypt, off the event loop) and opens a new session; every attempt is recorded.
    func signIn(username rawUsername: String, password: String, clientAddress: String?) async throws -> SignInResult {
        let username = String(rawUsername.trimmingCharacters(in: .whitespaces).lowercased().prefix(200))
        let window = Int(self.policy.throttleWindow.components.seconds)
        let recentFailures = try await self.client.query(
            """
            SELECT count(*) FILTER (WHERE username = \(username)), count(*) FILTER (WHERE client_address = \(clientAddress))
            FROM sign_in_attempts
            WHERE NOT succeeded AND attempted_at > now() - make_interval(secs => \(window))
              AND (username = \(username) OR client_address = \(clientAddress))
            """, logger: self.logger).decode((Int, Int).self).collect().first ?? (0, 0)
        // One address may mistype more often than one account (an office shares an address).
        if recentFailures.0 >= self.policy.maximumFailures || recentFailures.1 >= self.policy.maximumFailures * 4 {
            try await self.record(username: username, clientAddress: clientAddress, succeeded: false)
            return .throttled
        }
        let account = try await self.client.query(
            "SELECT id, username, display_name, role, password_hash FROM staff_users WHERE username = \(username) AND is_active",
            logger: self.logger).decode((Int64, String, String, String, String?).self).collect().first
        let hash = account?.4 ?? Self.dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard let account, account.4 != nil, matches, let role = StaffRole(rawValue: account.3) else {
            try await self.record(username: username, clientAddress: clientAddress, succeeded: false)
            return .refused
        }
        let secret = SecretToken.generate(.session)
        let csrf = SecretToken.generate(.session).value
        let absolute = Int(self.policy.absoluteTimeout.components.seconds)
        let session = try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("INSERT INTO sign_in_attempts (username, client_address, succeeded) VALUES (\(username), \(clientAddress), true)",
                               logger: self.logger)
            // Attempts and sessions of long ago are deleted by `RetentionService` (90 days).
            let id = try await tx.query(
                """
                INSERT INTO staff_sessions (secret_hash, staff_user_id, csrf_token, expires_at)
                VALUES (\(secret.hashBuffer), \(account.0), \(csrf), now() + make_interval(secs => \(absolute))) RETURNING id
                """, logger: self.logger).decode(Int64.self).collect()[0]
            try await AuditLog.record(on: tx, actor: .staff(id: account.0, username: account.1, role: role), action: "sign_in",
                                      entity: "staff_session", entityID: id, logger: self.logger)
            return WebSession(id: id, staffID: account.0, username: account.1, displayName: account.2, role: role, csrfToken: csrf)
        }
        return .signedIn(secret: secret.value, session: session)
    }

    /// The open session a cookie's secret belongs to (not ended, not idle too long, not past its
    /// absolute limit, its account active), marked as used now; nil otherwise.
    func session(secret: String) async throws -> WebSession? {
        guard secret.hasPrefix(SecretToken.Kind.session.rawValue), secret.count < 100 else { return nil }
        let idle = Int(self.policy.idleTimeout.components.seconds)
        let rows = try await self.client.query(
            """
            UPDATE staff_sessions s SET last_seen_at = now()
            FROM staff_users u
            WHERE s.secret_hash = \(SecretToken(value: secret).hashBuffer) AND u.id = s.staff_user_id AND u.is_active
              AND s.ended_at IS NULL AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => \(idle))
            RETURNING s.id, u.id, u.username, u.display_name, u.role, s.csrf_token
            """, logger: self.logger).decode((Int64, Int64, String, String, String, String).self).collect()
        guard let (id, staffID, username, displayName, role, csrf) = rows.first, let staffRole = StaffRole(rawValue: role) else { return nil }
        return WebSession(id: id, staffID: staffID, username: username, displayName: displayName, role: staffRole, csrfToken: csrf)
    }

    /// Ends a session (`signed_out` or `signed_in_again`); a replayed cookie is refused from then on.
    func end(_ session: WebSession, reason: String) async throws {
        try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query(
                "UPDATE staff_sessions SET ended_at = now(), ended_reason = \(reason) WHERE id = \(session.id) AND ended_at IS NULL",
                logger: self.logger)
            try await AuditLog.record(on: tx, actor: session.principal, action: "sign_out", entity: "staff_session", entityID: session.id,
                                      after: ["reason": reason], logger: self.logger)
        }
    }

    /// Sets a staff member's password (checked against `PasswordPolicy`) and ends their open sessions.
    /// Returns why the password is refused, or nil when set; throws 404 for an unknown username.
    func setPassword(username: String, password: String, by actor: Principal?) async throws -> String? {
        if let problem = PasswordPolicy.problem(password, username: username) { return problem }
        let cost = self.policy.bcryptCost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        try await self.client.withTransaction(logger: self.logger) { tx in
            guard let id = try await tx.query("UPDATE staff_users SET password_hash = \(hash) WHERE username = \(username) RETURNING id",
                                              logger: self.logger).decode(Int64.self).collect().first
            else { throw AppError.notFound("tài khoản \(username)") }
            try await tx.query(
                "UPDATE staff_sessions SET ended_at = now(), ended_reason = 'password_changed' WHERE staff_user_id = \(id) AND ended_at IS NULL",
                logger: self.logger)
            try await AuditLog.record(on: tx, actor: actor, action: "set_password", entity: "staff_user", entityID: id, logger: self.logger)
        }
        return nil
    }

    private func record(username: String, clientAddress: String?, succeeded: Bool) async throws {
        try await self.client.query(
            "INSERT INTO sign_in_attempts (username, client_address, succeeded) VALUES (\(username), \(clientAddress), \(succeeded))",
            logger: self.logger)
    }

    /// A bcrypt hash of nothing anyone types: an unknown username costs the same time as a wrong password.
    static let dummyHash = Bcrypt.hash(UUID().uuidString, cost: 12)
}
