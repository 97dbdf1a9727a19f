import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` on `transaction` when the caller hands one in (an idempotent POST: its stored
    /// response and its work commit together), else in a transaction of its own. The caller's
    /// transaction is always a parameter, never found in the task's context.
    func withTransaction<T: Sendable>(
        joining transaction: PostgresConnection?,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        if let transaction { return try await body(transaction) }
        return try await self.withTransaction(logger: logger) { connection in try await body(connection) }
    }
}
