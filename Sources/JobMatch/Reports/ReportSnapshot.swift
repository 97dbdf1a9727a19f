import JobMatchCore
import Logging
import PostgresNIO

/// Runs a report's reads in one REPEATABLE READ transaction, so every query of it sees the same
/// data; its temporary tables go at the end (not READ ONLY only because those are written). The
/// snapshot may be read on the replica (`ReadRouter`); the audit entry is always written on the primary.
enum ReportSnapshot {
    /// Records the export in the audit log first (so a download that fails midway is still on
    /// record) on `client`, then runs `body` in the snapshot on `reading` (`client` when nil).
    static func audited(
        on client: PostgresClient,
        reading: PostgresClient? = nil,
        logger: Logger,
        actor: Principal?,
        entity: String,
        after: [String: String],
        _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        try await client.withTransaction(logger: logger) { tx in
            try await AuditLog.record(on: tx, actor: actor, action: "export", entity: entity, entityID: nil, after: after, logger: logger)
        }
        try await self.run(on: reading ?? client, logger: logger, body)
    }

    /// Reports join a few thousand counted rows to large tables: with the data in memory, index
    /// lookups are cheaper than the default cost model assumes (it would read whole tables). And no
    /// JIT: the counting's estimates are high enough to start LLVM, whose compiling took about 1 s
    /// of a month's 2.5 s export and of the period's 5.6 s at 1,000,000 placements (measured in
    /// psql, `bench/README.md`), more than it saved. One statement, so it runs on any protocol.
    static let plannerSetting = "SELECT set_config('random_page_cost', '1.1', true), set_config('jit', 'off', true)"

    static func run<T: Sendable>(
        on client: PostgresClient,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: Self.plannerSetting), logger: logger)
            // A download is written as fast as its client reads: its statements may run, and its
            // transaction idle, past the service's limits (the number of exports at once is bounded).
            try await connection.allowLongWork(.export, logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
