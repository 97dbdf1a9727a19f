import JobMatchCore
import Logging
import PostgresNIO

/// Produces a table report, audited, streamed to `sink`.
public struct TableReports: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
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
            on: self.client,
            logger: logger,
            actor: actor,
            entity: "report",
            after: ["report": report.key, "format": format.rawValue]
        ) { connection in
            try await report.write(on: connection, logger: logger, to: format.writer(sections: [report.title]), flush: sink)
        }
    }
}
