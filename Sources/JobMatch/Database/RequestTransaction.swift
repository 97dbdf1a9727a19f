import Logging
import PostgresNIO

/// The transaction a whole request runs in, when a middleware opened one (an idempotent POST:
/// its stored response and its work must commit together).
enum RequestTransaction {
    @TaskLocal static var current: PostgresConnection?
}

extension PostgresClient {
    /// Runs `body` in the request's transaction when there is one, else in a transaction of its own.
    func withRequestTransaction<T: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        if let connection = RequestTransaction.current { return try await body(connection) }
        // Nested calls inside `body` join this transaction instead of taking a second connection.
        return try await self.withTransaction(logger: logger) { connection in
            try await RequestTransaction.$current.withValue(connection) { try await body(connection) }
        }
    }
}
