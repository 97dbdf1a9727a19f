import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Audit trail")
struct AuditTests {
    @Test("writes and sensitive reads are in a record's history, with who did them")
    func history() async throws {
        try await withTestApp { client, tokens, _ in
            let id = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
            _ = try await client.json(.get, "/api/staff/workers/\(id)", token: tokens.admin)
            let history = try await client.json(.get, "/api/staff/audit?entity=worker&entity_id=\(id)", token: tokens.viewer)
            #expect(history.status == .ok)
            let entries = history.body["entries"] as! [[String: Any]]
            #expect(entries.map { $0["action"] as? String } == ["view", "create"])
            #expect(entries.map { $0["actor"] as? String } == ["admin", "officer"])
            #expect(try await client.json(.get, "/api/staff/audit?entity=secrets&entity_id=1", token: tokens.viewer).body["field"] as? String == "entity")
        }
    }

    @Test("the audit table cannot be changed or emptied, even by the database owner")
    func appendOnly() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker())
            // As the owner (the trigger of 0006); the service's role is refused earlier, by its grants (LeastPrivilegeTests).
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { db in
                for statement in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                    await #expect(throws: (any Error).self, "\(statement)") {
                        try await db.query(PostgresQuery(unsafeSQL: statement))
                    }
                }
            }
            #expect(try await rowCount("audit_log WHERE action = 'create'", url: url) >= 1)
        }
    }
}
