import Logging
import PostgresNIO

/// Sets a staff member's web password from the command line (the first admin's, or after a loss).
public struct StaffPasswords: Sendable {
    let store: WebSessionStore

    public init(client: PostgresClient, logger: Logger) {
        self.store = WebSessionStore(client: client, logger: logger, policy: WebSessionPolicy())
    }

    /// Nil when set (their open sessions are ended), else why the password is refused (Vietnamese).
    public func set(username: String, password: String) async throws -> String? {
        try await self.store.setPassword(username: username, password: password, by: nil)
    }
}
