import PostgresNIO

/// The SQLSTATE PostgreSQL refused `statement` with (`23514` a check, `42501` a privilege...), or
/// nil when it ran; any other error is rethrown. Tests assert the specific refusal, not any error.
func sqlState(_ statement: () async throws -> Void) async throws -> String? {
    do {
        try await statement()
        return nil
    } catch let error as PSQLError {
        return error.serverInfo?[.sqlState]
    }
}
