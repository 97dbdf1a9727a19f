import Crypto
import Foundation
import HummingbirdBcrypt
import JobMatchCore
import Logging
import NIOPosix
import PostgresNIO

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
    /// At most `maximumFailures` passwords of one account (and four times as many from one address)
    /// are ever checked in a window, however many arrive at once: `admit` counts and reserves the
    /// attempt in one step before the password is checked.
    func signIn(username rawUsername: String, password: String, clientAddress: String?) async throws -> SignInResult {
        let username = String(rawUsername.trimmingCharacters(in: .whitespaces).lowercased().prefix(200))
        guard let attemptID = try await self.admit(username: username, clientAddress: clientAddress) else { return .throttled }
        let account = try await self.client.query(
            "SELECT id, username, display_name, role, password_hash FROM staff_users WHERE username = \(username) AND is_active",
            logger: self.logger
        ).decode((Int64, String, String, String, String?).self).collect().first
        let hash = account?.4 ?? Self.dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        // The attempt is already recorded as a failure: a refusal has nothing more to write.
        guard let account, account.4 != nil, matches, let role = StaffRole(rawValue: account.3) else { return .refused }
        let secret = SecretToken.generate(.session)
        let csrf = SecretToken.generate(.session).value
        let absolute = Int(self.policy.absoluteTimeout.components.seconds)
        let session = try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("UPDATE sign_in_attempts SET succeeded = true WHERE id = \(attemptID)", logger: self.logger)
            // Attempts and sessions of long ago are deleted by `RetentionService` (90 days).
            let id = try await tx.query(
                """
                INSERT INTO staff_sessions (secret_hash, staff_user_id, csrf_token, expires_at)
                VALUES (\(secret.hashBuffer), \(account.0), \(csrf), now() + make_interval(secs => \(absolute))) RETURNING id
                """,
                logger: self.logger
            ).decode(Int64.self).collect()[0]
            try await AuditLog.record(
                on: tx,
                actor: .staff(id: account.0, username: account.1, role: role),
                action: "sign_in",
                entity: "staff_session",
                entityID: id,
                logger: self.logger
            )
            return WebSession(id: id, staffID: account.0, username: account.1, displayName: account.2, role: role, csrfToken: csrf)
        }
        return .signedIn(secret: secret.value, session: session)
    }

    /// The open session a cookie's secret belongs to (not ended, not idle too long, not past its
    /// absolute limit, its account active); nil otherwise. One statement: it marks the session used
    /// now only when the mark is over `seenPrecision` old, so a page view writes at most once a minute.
    func session(secret: String) async throws -> WebSession? {
        guard secret.hasPrefix(SecretToken.Kind.session.rawValue), secret.count < 100 else { return nil }
        let idle = Int(self.policy.idleTimeout.components.seconds)
        let precision = Int(Self.seenPrecision.components.seconds)
        let rows = try await self.client.query(
            """
            WITH open AS (
                SELECT s.id, u.id AS staff_id, u.username, u.display_name, u.role, s.csrf_token, s.last_seen_at
                FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_user_id
                WHERE s.secret_hash = \(SecretToken(value: secret).hashBuffer) AND u.is_active
                  AND s.ended_at IS NULL AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => \(idle))
            ), seen AS (
                UPDATE staff_sessions s SET last_seen_at = now() FROM open
                WHERE s.id = open.id AND open.last_seen_at < now() - make_interval(secs => \(precision))
            )
            SELECT id, staff_id, username, display_name, role, csrf_token FROM open
            """,
            logger: self.logger
        ).decode((Int64, Int64, String, String, String, String).self).collect()
        guard let (id, staffID, username, displayName, role, csrf) = rows.first, let staffRole = StaffRole(rawValue: role) else { return nil }
        return WebSession(id: id, staffID: staffID, username: username, displayName: displayName, role: staffRole, csrfToken: csrf)
    }

    /// How stale a session's last-seen mark may be: the idle limit counts from a page view at most this much earlier.
    static let seenPrecision: Duration = .seconds(60)

    /// Ends a session (`signed_out` or `signed_in_again`); a replayed cookie is refused from then on.
    func end(_ session: WebSession, reason: String) async throws {
        try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query(
                "UPDATE staff_sessions SET ended_at = now(), ended_reason = \(reason) WHERE id = \(session.id) AND ended_at IS NULL",
                logger: self.logger
            )
            try await AuditLog.record(
                on: tx,
                actor: session.principal,
                action: "sign_out",
                entity: "staff_session",
                entityID: session.id,
                after: ["reason": reason],
                logger: self.logger
            )
        }
    }

    /// Sets a staff member's password (checked against `PasswordPolicy`) and ends their open sessions.
    /// Returns why the password is refused, or nil when set; throws 404 for an unknown username.
    func setPassword(username: String, password: String, by actor: Principal?) async throws -> String? {
        if let problem = PasswordPolicy.problem(password, username: username) { return problem }
        let cost = self.policy.bcryptCost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        try await self.client.withTransaction(logger: self.logger) { tx in
            guard
                let id = try await tx.query(
                    "UPDATE staff_users SET password_hash = \(hash) WHERE username = \(username) RETURNING id",
                    logger: self.logger
                ).decode(Int64.self).collect().first
            else { throw AppError.notFound("tài khoản \(username)") }
            try await tx.query(
                "UPDATE staff_sessions SET ended_at = now(), ended_reason = 'password_changed' WHERE staff_user_id = \(id) AND ended_at IS NULL",
                logger: self.logger
            )
            try await AuditLog.record(on: tx, actor: actor, action: "set_password", entity: "staff_user", entityID: id, logger: self.logger)
        }
        return nil
    }

    /// A signed-in staff member changes their own password: the current one is checked first (as a
    /// sign-in attempt, so the throttle applies: a stolen session cannot guess it), then the new one
    /// against `PasswordPolicy`; their other sessions end, this one stays; audited. Throws 422 naming
    /// the field, or 429 while throttled.
    func changeOwnPassword(_ session: WebSession, current: String, new password: String, clientAddress: String?) async throws {
        guard !current.isEmpty else { throw AppError.invalid(field: "current_password", "Hãy nhập mật khẩu hiện tại.") }
        guard let attemptID = try await self.admit(username: session.username, clientAddress: clientAddress) else {
            throw AppError(
                .tooManyRequests,
                kind: "throttled",
                title: "Quá nhiều lần nhập sai",
                detail: "Đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị viên."
            )
        }
        let stored =
            try await self.client.query(
                "SELECT password_hash FROM staff_users WHERE id = \(session.staffID) AND is_active",
                logger: self.logger
            ).decode(String?.self).collect().first ?? nil
        let hash = stored ?? Self.dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(current, hash: hash) }
        guard stored != nil, matches else { throw AppError.invalid(field: "current_password", "Mật khẩu hiện tại không đúng.") }
        try await self.client.query("UPDATE sign_in_attempts SET succeeded = true WHERE id = \(attemptID)", logger: self.logger)
        if let problem = PasswordPolicy.problem(password, username: session.username) { throw AppError.invalid(field: "password", problem) }
        if password == current { throw AppError.invalid(field: "password", "Mật khẩu mới phải khác mật khẩu hiện tại.") }
        let cost = self.policy.bcryptCost
        let newHash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("UPDATE staff_users SET password_hash = \(newHash) WHERE id = \(session.staffID)", logger: self.logger)
            let ended = try await tx.query(
                """
                UPDATE staff_sessions SET ended_at = now(), ended_reason = 'password_changed'
                WHERE staff_user_id = \(session.staffID) AND ended_at IS NULL AND id <> \(session.id) RETURNING id
                """,
                logger: self.logger
            ).decode(Int64.self).collect()
            try await AuditLog.record(
                on: tx,
                actor: session.principal,
                action: "change_own_password",
                entity: "staff_user",
                entityID: session.staffID,
                after: ["other_sessions_ended": "\(ended.count)"],
                logger: self.logger
            )
        }
    }

    /// Counts the recent failures of `username` and of `clientAddress` and, under the limits, records
    /// this attempt as a failure (made a success once the password matches) and returns its id; over
    /// them, records it as throttled and returns nil. Per-username and per-address advisory locks,
    /// always taken in that order, make the count and the reservation one step for concurrent
    /// attempts, so a burst cannot pass the count before any of it is recorded. Throttled attempts
    /// are not counted: hammering a locked account does not lengthen its lock-out.
    private func admit(username: String, clientAddress: String?) async throws -> Int64? {
        let window = Int(self.policy.throttleWindow.components.seconds)
        let (perAccount, perAddress) = (self.policy.maximumFailures, self.policy.maximumFailures * 4)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(\(Self.usernameLockClass), hashtext(\(username)))", logger: self.logger)
            if let clientAddress {
                try await tx.query("SELECT pg_advisory_xact_lock(\(Self.addressLockClass), hashtext(\(clientAddress)))", logger: self.logger)
            }
            let (accountFailures, addressFailures) =
                try await tx.query(
                    """
                    SELECT count(*) FILTER (WHERE username = \(username))::int, count(*) FILTER (WHERE client_address = \(clientAddress))::int
                    FROM sign_in_attempts
                    WHERE NOT succeeded AND NOT throttled AND attempted_at > now() - make_interval(secs => \(window))
                      AND (username = \(username) OR client_address = \(clientAddress))
                    """,
                    logger: self.logger
                ).decode((Int, Int).self).collect().first ?? (0, 0)
            // One address may mistype more often than one account (an office shares an address).
            let throttled = accountFailures >= perAccount || addressFailures >= perAddress
            let id = try await tx.query(
                """
                INSERT INTO sign_in_attempts (username, client_address, succeeded, throttled)
                VALUES (\(username), \(clientAddress), false, \(throttled)) RETURNING id
                """,
                logger: self.logger
            ).decode(Int64.self).collect()[0]
            return throttled ? nil : id
        }
    }

    /// The classes of the two-key advisory locks `admit` takes (a username's, an address's).
    static let usernameLockClass: Int32 = 0x5349_4e31
    static let addressLockClass: Int32 = 0x5349_4e32

    /// A bcrypt hash of nothing anyone types: an unknown username costs the same time as a wrong password.
    static let dummyHash = Bcrypt.hash(UUID().uuidString, cost: 12)
}
