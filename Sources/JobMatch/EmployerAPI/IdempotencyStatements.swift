import Foundation
import PostgresNIO

/// Takes an idempotency key's transaction lock if no one holds it and, when taken, reads the
/// response stored under the key. Prepared once per connection: every employer POST runs it.
struct IdempotencyLockStatement: PostgresPreparedStatement {
    typealias Row = (locked: Bool, hash: Data?, status: Int?, headers: String?, body: Data?, expired: Bool?)
    static let name = "jobmatch_idempotency_lock_v1"
    static let sql = """
        SELECT l.locked, k.request_hash, k.status, k.headers::text, k.body, k.expires_at <= now()
        FROM (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked) l
        LEFT JOIN idempotency_keys k ON l.locked AND k.employer_id = $2 AND k.key = $3
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .int8, .text]

    let employerID: Int64
    let key: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append("\(self.employerID):\(self.key)")
        bindings.append(self.employerID)
        bindings.append(self.key)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (locked, hash, status, headers, body, expired) = try row.decode((Bool, Data?, Int?, String?, Data?, Bool?).self)
        return (locked, hash, status, headers, body, expired)
    }
}
