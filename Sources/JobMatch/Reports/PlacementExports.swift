import JobMatchCore
import Logging
import PostgresNIO

/// Produces placement exports for the CLI, the staff API and the schedule: the export is
/// audited first (who, what, as of when, CCCD whole or masked), then written from one read-only
/// snapshot and streamed to `sink` as it is made, so memory stays flat however long it is.
public struct PlacementExports: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Streams the export; `actor` is nil for the CLI and the schedule (recorded as the system).
    public func write(
        _ spec: PlacementExportSpec,
        format: TableFormat,
        actor: Principal?,
        to sink: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        let logger = self.logger
        try await ReportSnapshot.audited(
            on: self.client,
            logger: logger,
            actor: actor,
            entity: "placements",
            after: [
                "export": spec.name, "format": format.rawValue, "as_of": spec.asOf.description,
                "cccd": spec.fullCCCD ? "full" : "masked",
            ]
        ) { connection in
            try await PlacementExport(connection: connection, logger: logger, spec: spec)
                .write(to: format.writer(sections: PlacementExport.sections), flush: sink)
        }
    }

    /// The whole export in memory (stored files, which are one month each, and tests).
    public func bytes(_ spec: PlacementExportSpec, format: TableFormat, actor: Principal?) async throws -> [UInt8] {
        let collected = ByteCollector()
        try await self.write(spec, format: format, actor: actor) { bytes in await collected.append(bytes) }
        return await collected.bytes
    }
}

/// Gathers streamed bytes.
actor ByteCollector {
    private(set) var bytes: [UInt8] = []

    func append(_ more: [UInt8]) {
        self.bytes += more
    }
}

/// Runs a report's reads in one REPEATABLE READ transaction, so every query of it sees the same
/// data; its temporary tables go at the end (not READ ONLY only because those are written).
enum ReportSnapshot {
    /// Records the export in the audit log first (so a download that fails midway is still on
    /// record), then runs `body` in the snapshot.
    static func audited(
        on client: PostgresClient,
        logger: Logger,
        actor: Principal?,
        entity: String,
        after: [String: String],
        _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        try await client.withTransaction(logger: logger) { tx in
            try await AuditLog.record(on: tx, actor: actor, action: "export", entity: entity, entityID: nil, after: after, logger: logger)
        }
        try await self.run(on: client, logger: logger, body)
    }

    static func run<T: Sendable>(
        on client: PostgresClient,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ", logger: logger)
            // Reports join a few thousand counted rows to large tables: with the data in memory, index
            // lookups are cheaper than the default cost model assumes (it would read whole tables).
            try await connection.query("SET LOCAL random_page_cost = 1.1", logger: logger)
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
