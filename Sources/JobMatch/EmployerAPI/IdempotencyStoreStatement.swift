import Foundation
import PostgresNIO

/// Stores a successful response under its idempotency key for 24 hours.
struct IdempotencyStoreStatement: PostgresPreparedStatement {
    typealias Row = Void
    static let name = "jobmatch_idempotency_store_v1"
    static let sql = """
        INSERT INTO idempotency_keys (employer_id, key, method, path, request_hash, status, headers, body, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, now() + interval '24 hours')
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .text, .text, .text, .bytea, .int8, .text, .bytea]

    let employerID: Int64
    let key: String
    let method: String
    let path: String
    let requestHash: Data
    let status: Int
    let headersJSON: String
    let body: ByteBuffer

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(self.employerID)
        bindings.append(self.key)
        bindings.append(self.method)
        bindings.append(self.path)
        try bindings.append(self.requestHash)
        bindings.append(Int64(self.status))
        bindings.append(self.headersJSON)
        bindings.append(self.body)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
