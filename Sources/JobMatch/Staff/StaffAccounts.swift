import Foundation
import HummingbirdBcrypt
import JobMatchCore
import Logging
import NIOPosix
import PostgresNIO

/// Staff accounts as admins manage them in the web app: adding one with its first password,
/// changing a role, deactivating (which ends the account's web sessions and revokes its API
/// tokens) and reactivating, and setting a new password (`WebSessionStore.setPassword`, which ends
/// the account's sessions). Each write is checked first, with Vietnamese messages naming the
/// field, and done and audited in one transaction. No admin can deactivate or demote themselves.
struct StaffAccounts {
    let client: PostgresClient
    let policy: WebSessionPolicy
    let logger: Logger
    /// The API's cache of valid callers, forgotten when an account changes (as `CredentialStore` does).
    var credentialCache: CredentialCache? = nil

    /// An account as the pages show it.
    struct Account {
        let id: Int64
        let username: String
        let displayName: String
        let role: StaffRole
        let active: Bool
        let hasPassword: Bool
        let created: String
        /// `dd/mm/yyyy hh:mm`, or empty when the account never signed in.
        let lastSignIn: String
        let openSessions: Int
        let liveTokens: Int
    }

    /// Every account, active ones first, by username.
    func all() async throws -> [Account] {
        try await self.accounts(nil)
    }

    /// One account; 404 when there is none.
    func account(_ id: Int64) async throws -> Account {
        guard let account = try await self.accounts(id).first else { throw AppError.notFound("tài khoản \(id)") }
        return account
    }

    private func accounts(_ id: Int64?) async throws -> [Account] {
        let idle = Int(self.policy.idleTimeout.components.seconds)
        let rows = try await self.client.query(
            """
            SELECT u.id, u.username, u.display_name, u.role, u.is_active, u.password_hash IS NOT NULL,
                   to_char(u.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY'),
                   coalesce(to_char(greatest(
                       (SELECT max(s.created_at) FROM staff_sessions s WHERE s.staff_user_id = u.id),
                       (SELECT max(a.attempted_at) FROM sign_in_attempts a WHERE a.username = u.username AND a.succeeded)
                   ) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI'), ''),
                   (SELECT count(*)::int FROM staff_sessions s WHERE s.staff_user_id = u.id AND s.ended_at IS NULL AND s.expires_at > now()
                        AND s.last_seen_at > now() - make_interval(secs => \(idle))),
                   (SELECT count(*)::int FROM staff_tokens t WHERE t.staff_user_id = u.id AND t.revoked_at IS NULL
                        AND (t.expires_at IS NULL OR t.expires_at > now()))
            FROM staff_users u WHERE \(id)::bigint IS NULL OR u.id = \(id)::bigint
            ORDER BY u.is_active DESC, u.username
            """,
            logger: self.logger
        ).decode((Int64, String, String, String, Bool, Bool, String, String, Int, Int).self).collect()
        return rows.compactMap { row in
            guard let role = StaffRole(rawValue: row.3) else { return nil }
            return Account(
                id: row.0,
                username: row.1,
                displayName: row.2,
                role: role,
                active: row.4,
                hasPassword: row.5,
                created: row.6,
                lastSignIn: row.7,
                openSessions: row.8,
                liveTokens: row.9
            )
        }
    }

    /// Adds an account that signs in to the web app with `password` (no API token: `jobmatch staff
    /// add` issues those). Returns its id.
    func create(
        username rawUsername: String?,
        displayName rawDisplayName: String?,
        role rawRole: String?,
        password: String?,
        again: String?,
        by actor: Principal?
    ) async throws -> Int64 {
        let username = try Self.username(rawUsername)
        let displayName = try CleanText.optional(rawDisplayName, field: "display_name", label: "Họ tên hiển thị", maxLength: 200) ?? ""
        let role = try Self.role(rawRole)
        let password = try Self.password(password, again: again, username: username)
        let cost = self.policy.bcryptCost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            if try await tx.query("SELECT id FROM staff_users WHERE username = \(username)", logger: logger).first(Int64.self) != nil {
                throw AppError.conflict("Tên đăng nhập \(username) đã có người dùng; hãy chọn tên khác.", field: "username")
            }
            let id = try await tx.query(
                """
                INSERT INTO staff_users (username, role, display_name, password_hash) VALUES (\(username), \(role.rawValue), \(displayName), \(hash))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "staff_user",
                entityID: id,
                after: ["username": username, "role": role.rawValue, "display_name": displayName],
                logger: logger
            )
            try await AuditLog.record(on: tx, actor: actor, action: "set_password", entity: "staff_user", entityID: id, logger: logger)
            return id
        }
    }

    /// Gives account `id` another role; refused when `actorID` would take the admin role from themselves.
    func changeRole(_ id: Int64, to rawRole: String?, actorID: Int64, by actor: Principal?) async throws {
        let role = try Self.role(rawRole)
        let logger = self.logger
        defer { self.credentialCache?.clear() }
        try await self.client.withTransaction(logger: logger) { tx in
            guard let current = try await tx.query("SELECT role FROM staff_users WHERE id = \(id) FOR UPDATE", logger: logger).first(String.self)
            else { throw AppError.notFound("tài khoản \(id)") }
            if id == actorID, role != .admin {
                throw AppError.conflict(
                    "Bạn không thể tự hạ quyền tài khoản của chính mình. Hãy nhờ một quản trị viên khác làm việc này.",
                    field: "role"
                )
            }
            guard current != role.rawValue else { return }
            try await tx.query("UPDATE staff_users SET role = \(role.rawValue) WHERE id = \(id)", logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "change_role",
                entity: "staff_user",
                entityID: id,
                before: ["role": current],
                after: ["role": role.rawValue],
                logger: logger
            )
        }
    }

    /// Deactivates account `id` (ending its web sessions and revoking its API tokens at once) or
    /// reactivates it; refused when `actorID` would deactivate themselves.
    func setActive(_ id: Int64, active: Bool, actorID: Int64, by actor: Principal?) async throws {
        if id == actorID, !active {
            throw AppError.conflict(
                "Bạn không thể tự ngừng hoạt động tài khoản của chính mình. Hãy nhờ một quản trị viên khác làm việc này.",
                field: "active"
            )
        }
        let logger = self.logger
        defer { self.credentialCache?.clear() }
        try await self.client.withTransaction(logger: logger) { tx in
            guard let current = try await tx.query("SELECT is_active FROM staff_users WHERE id = \(id) FOR UPDATE", logger: logger).first(Bool.self)
            else { throw AppError.notFound("tài khoản \(id)") }
            guard current != active else { return }
            try await tx.query("UPDATE staff_users SET is_active = \(active) WHERE id = \(id)", logger: logger)
            var after = ["is_active": "\(active)"]
            if !active {
                let sessions = try await tx.query(
                    """
                    UPDATE staff_sessions SET ended_at = now(), ended_reason = 'deactivated' WHERE staff_user_id = \(id) AND ended_at IS NULL
                    RETURNING id
                    """,
                    logger: logger
                ).collect(Int64.self)
                let tokens = try await tx.query(
                    "UPDATE staff_tokens SET revoked_at = now() WHERE staff_user_id = \(id) AND revoked_at IS NULL RETURNING id",
                    logger: logger
                ).collect(Int64.self)
                after["sessions_ended"] = "\(sessions.count)"
                after["tokens_revoked"] = tokens.map(String.init).joined(separator: ",")
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: active ? "reactivate" : "deactivate",
                entity: "staff_user",
                entityID: id,
                before: ["is_active": "\(current)"],
                after: after,
                logger: logger
            )
        }
    }

    /// Sets account `id`'s password (the policy checked, typed twice alike); its sessions end.
    func setPassword(_ id: Int64, password: String?, again: String?, by actor: Principal?) async throws {
        let account = try await self.account(id)
        let password = try Self.password(password, again: again, username: account.username)
        let store = WebSessionStore(client: self.client, logger: self.logger, policy: self.policy)
        if let problem = try await store.setPassword(username: account.username, password: password, by: actor) {
            throw AppError.invalid(field: "password", problem)
        }
    }

    /// A login name as `staff_users` allows it, lower-cased.
    static func username(_ raw: String?) throws -> String {
        let username = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !username.isEmpty else { throw AppError.invalid(field: "username", "Tên đăng nhập không được để trống.") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...63).contains(username.count), username.allSatisfy(allowed.contains), let first = username.first, first.isLetter || first.isNumber
        else {
            throw AppError.invalid(
                field: "username",
                "Tên đăng nhập gồm 2 đến 63 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ hoặc số."
            )
        }
        return username
    }

    static func role(_ raw: String?) throws -> StaffRole {
        guard let raw, let role = StaffRole(rawValue: raw) else { throw AppError.invalid(field: "role", "Hãy chọn vai trò của tài khoản.") }
        return role
    }

    /// The password exactly as typed (never trimmed), checked against `PasswordPolicy` and its repetition.
    static func password(_ password: String?, again: String?, username: String) throws -> String {
        guard let password, !password.isEmpty else { throw AppError.invalid(field: "password", "Hãy nhập mật khẩu.") }
        if let problem = PasswordPolicy.problem(password, username: username) { throw AppError.invalid(field: "password", problem) }
        guard again == password else { throw AppError.invalid(field: "password_again", "Hai lần nhập mật khẩu không giống nhau.") }
        return password
    }
}
