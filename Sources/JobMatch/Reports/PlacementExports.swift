import JobMatchCore
import Logging
import PostgresNIO

/// Produces the monthly placement file and records the export in the audit log, in one
/// transaction; the CLI and the staff API both call this.
public struct PlacementExports: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The CSV bytes for `month`; `actor` is nil for the CLI (recorded as the system).
    public func monthlyCSV(month: Month, actor: Principal?) async throws -> [UInt8] {
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let bytes = try await MonthlyPlacementExport(connection: tx, logger: logger).csv(month: month)
            try await AuditLog.record(on: tx, actor: actor, action: "export", entity: "placements_month", entityID: nil,
                                      after: ["month": month.description, "bytes": "\(bytes.count)"], logger: logger)
            return bytes
        }
    }
}
