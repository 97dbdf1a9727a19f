import Logging
import PostgresNIO

/// The limits every session of the service starts with (sent as startup parameters), so that no
/// statement, lock wait or forgotten open transaction can hold a pooled connection for long
/// (`DATABASE_STATEMENT_TIMEOUT_SECONDS`, `DATABASE_LOCK_TIMEOUT_SECONDS`,
/// `DATABASE_IDLE_IN_TRANSACTION_SECONDS`), and the wait for a new connection. Work that legitimately runs longer (migrations, the
/// import, the batch matcher, exports, the candidate index's read) raises them for its own
/// transaction only, with `allowLongWork`.
public struct SessionTimeouts: Sendable, Equatable {
    public var statement: Duration = .seconds(30)
    public var lock: Duration = .seconds(10)
    public var idleInTransaction: Duration = .seconds(60)
    /// How long opening a connection may take (`DATABASE_CONNECT_TIMEOUT_SECONDS`); not a startup parameter.
    public var connect: Duration = .seconds(5)

    public init() {}

    /// The startup parameters, in milliseconds.
    var startupParameters: [(String, String)] {
        [
            ("statement_timeout", "\(Self.milliseconds(self.statement))"), ("lock_timeout", "\(Self.milliseconds(self.lock))"),
            ("idle_in_transaction_session_timeout", "\(Self.milliseconds(self.idleInTransaction))"),
        ]
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

extension PostgresConnection {
    /// Raises the statement, lock and idle-in-transaction limits for the rest of the current transaction
    /// (`SET LOCAL`: they fall back at its end, so the pooled connection keeps the service's limits).
    /// Must run inside a transaction block.
    func allowLongWork(_ limit: LongWork, logger: Logger) async throws {
        try await self.query(PostgresQuery(unsafeSQL: limit.settingsSQL), logger: logger)
    }
}
