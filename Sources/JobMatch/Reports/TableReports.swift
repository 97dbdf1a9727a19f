import JobMatchCore
import Logging
import PostgresNIO

/// Produces a table report, audited on the primary, read where `reads` sends it, streamed to `sink`.
public struct TableReports: Sendable {
    let reads: ReadRouter
    let logger: Logger

    /// Everything on `client` (the CLI).
    public init(client: PostgresClient, logger: Logger) {
        self.init(reads: .primaryOnly(client), logger: logger)
    }

    init(reads: ReadRouter, logger: Logger) {
        self.reads = reads
        self.logger = logger
    }

    public func write(
        _ report: TableReport,
        format: TableFormat,
        actor: Principal?,
        to sink: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        let logger = self.logger
        try await ReportSnapshot.audited(
            on: self.reads.primary,
            reading: self.reads.client,
            logger: logger,
            actor: actor,
            entity: "report",
            after: ["report": report.key, "format": format.rawValue]
        ) { connection in
            try await report.write(on: connection, logger: logger, to: format.writer(sections: [report.title]), flush: sink)
        }
    }
}
