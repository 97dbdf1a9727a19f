import PostgresNIO

extension PostgresRowSequence {
    /// The first row decoded as `T`, or nil.
    func first<T: PostgresDecodable>(_ type: T.Type) async throws -> T? {
        for try await value in self.decode(T.self) { return value }
        return nil
    }
}
