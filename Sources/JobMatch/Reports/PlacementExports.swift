import JobMatchCore
import Logging
import PostgresNIO

/// Produces placement exports for the CLI, the staff API and the schedule: the export is
/// audited first (who, what, as of when, CCCD whole or masked), then written from one read-only
/// snapshot and streamed to `sink` as it is made, so memory stays flat however long it is.
public struct PlacementExports: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Where the list's rows are read with COPY (the service's own database); nil: through the pool.
    let copy: CopyOutConnector?

    public init(client: PostgresClient, logger: Logger, copy: CopyOutConnector? = nil) {
        self.client = client
        self.logger = logger
        self.copy = copy
    }

    /// Streams the export; `actor` is nil for the CLI and the schedule (recorded as the system).
    public func write(
        _ spec: PlacementExportSpec,
        format: TableFormat,
        actor: Principal?,
        to sink: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        let (logger, copy) = (self.logger, self.copy)
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
            try await PlacementExport(connection: connection, logger: logger, spec: spec, copy: copy)
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
