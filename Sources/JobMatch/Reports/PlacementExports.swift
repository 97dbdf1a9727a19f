import JobMatchCore
import Logging
import PostgresNIO

/// Produces placement exports for the CLI, the staff API and the schedule: the export is
/// audited first (who, what, as of when, CCCD whole or masked), then written from one read-only
/// snapshot and streamed to `sink` as it is made, so memory stays flat however long it is.
/// The snapshot is read where `reads` sends it (the replica while caught up); the audit entry is
/// written on the primary.
public struct PlacementExports: Sendable {
    let reads: ReadRouter
    let logger: Logger

    /// Everything on `client` (the CLI); `copy`: how the list's rows are read with COPY from the
    /// same database (nil: decoded through the pool).
    public init(client: PostgresClient, logger: Logger, copy: CopyOutConnector? = nil) {
        self.init(reads: .primaryOnly(client, copy: copy), logger: logger)
    }

    init(reads: ReadRouter, logger: Logger) {
        self.reads = reads
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
        let route = self.reads.route()
        try await ReportSnapshot.audited(
            on: self.reads.primary,
            reading: route.client,
            logger: logger,
            actor: actor,
            entity: "placements",
            after: [
                "export": spec.name, "format": format.rawValue, "as_of": spec.asOf.description,
                "cccd": spec.fullCCCD ? "full" : "masked",
            ]
        ) { connection in
            try await PlacementExport(connection: connection, logger: logger, spec: spec, copy: route.copy, temporaryTables: route.temporaryTables)
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
