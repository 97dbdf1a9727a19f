import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Audit trail")
struct AuditTests {
    @Test("writes and sensitive reads are in a record's history, with who did them; only admins read it, and that read is audited")
    func history() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await client.answer(CreatedRecord.self, .post, "/api/staff/workers", token: tokens.officer, Sample.worker(), snakeCase: true)
                .get().id
            _ = try await client.json(.get, "/api/staff/workers/\(id)", token: tokens.admin)
            for token in [tokens.viewer, tokens.officer] {
                #expect(try await client.json(.get, "/api/staff/audit?entity=worker&entity_id=\(id)", token: token).status == .forbidden)
            }
            let history = try await client.answer(AuditHistory.self, .get, "/api/staff/audit?entity=worker&entity_id=\(id)", token: tokens.admin)
            #expect(history.status == .ok)
            let entries = try history.get().entries
            #expect(entries.map(\.action) == ["view", "create"])
            #expect(entries.map(\.actor) == ["admin", "officer"])
            let unknown = try await client.answer(AuditHistory.self, .get, "/api/staff/audit?entity=secrets&entity_id=1", token: tokens.admin)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.problem?.field == "entity")
            // The read is itself in the trail: the next reader sees who read it.
            #expect(try await rowCount("audit_log WHERE action = 'read_audit' AND entity = 'worker' AND entity_id = '\(id)'", url: url) == 1)
            let again = try await client.answer(AuditHistory.self, .get, "/api/staff/audit?entity=worker&entity_id=\(id)", token: tokens.admin).get()
                .entries
            #expect(again.first?.action == "read_audit")
        }
    }

    @Test("anonymising a worker masks the audit images of their creation and edits; nothing else can change the trail")
    func anonymisationReachesTheTrail() async throws {
        try await withTestApp { client, tokens, url in
            // setup: a person with sensitive fields, registered and edited
            let household = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/households",
                token: tokens.officer,
                Sample.household(),
                snakeCase: true
            ).get().id
            var body = Sample.worker(household: Int64(household))
            body["full_name"] = "Thạch Thị Sa Rươl"
            body["ethnicity"] = "Khơ-me"
            body["disability_type"] = "visual"
            body["disability_severity"] = "mild"
            let id = try await client.answer(CreatedRecord.self, .post, "/api/staff/workers", token: tokens.officer, body, snakeCase: true).get().id
            let edit = try await client.json(
                .patch,
                "/api/staff/workers/\(id)",
                token: tokens.officer,
                ["full_name": "Thạch Thị Sa Rươn", "ethnicity": "Chăm"]
            )
            #expect(edit.status == .ok)
            let other = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(cccd: "093190654321"),
                snakeCase: true
            ).get().id
            let personal = ["Sa Rươ", "Khơ-me", "Chăm", "visual", "mild", "1990-05-01"]
            func images(_ worker: Int) async throws -> String {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query(
                        "SELECT coalesce(string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' '), '') FROM audit_log WHERE entity = 'worker' AND entity_id = \(String(worker))",
                        logger: TestCluster.logger
                    ).first(String.self) ?? ""
                }
            }
            let before = try await images(id)
            for value in personal { #expect(before.contains(value), "the images hold \(value) before") }
            // act
            let anonymised = try await client.json(
                .post,
                "/api/staff/workers/\(id)/anonymise",
                token: tokens.admin,
                ["reason": "Yêu cầu xóa dữ liệu của chủ thể"]
            )
            #expect(anonymised.status == .ok)
            // verify: no value of the person survives in the trail; field names and the reason stay
            let after = try await images(id)
            for value in personal { #expect(!after.contains(value), "\(value) in \(after)") }
            #expect(after.contains("full_name") && after.contains("***") && after.contains("Yêu cầu xóa dữ liệu của chủ thể"))
            let history = try await client.answer(AuditHistory.self, .get, "/api/staff/audit?entity=worker&entity_id=\(id)", token: tokens.admin)
                .get().entries
            #expect(history.map(\.action) == ["anonymise", "update", "create"])
            let created = try #require(history.last?.after)
            #expect(created["household_id"] == "***" && Set(created.values) == ["***"], "\(created)")
            #expect(try await images(other).contains("1990-05-01"), "another person's entries are untouched")
            // The trail still refuses every other change, even the owner's: another person's entry, a
            // masked entry changed otherwise, and the masking function for someone not anonymised.
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                for statement in [
                    "UPDATE audit_log SET after = audit_image_masked(after) WHERE entity = 'worker' AND entity_id = '\(other)'",
                    "UPDATE audit_log SET after = '{\"full_name\": \"x\"}' WHERE entity = 'worker' AND entity_id = '\(id)' AND action = 'create'",
                    "UPDATE audit_log SET action = 'view' WHERE entity = 'worker' AND entity_id = '\(id)' AND action = 'create'",
                    "SELECT audit_log_redact_worker(\(other))",
                ] {
                    // insufficient_privilege, from the trail's trigger and the masking function alike.
                    let refused = try await sqlState {
                        for try await _ in try await db.query(PostgresQuery(unsafeSQL: statement)) {}
                    }
                    #expect(refused == "42501", "\(statement)")
                }
            }
            #expect(try await images(other).contains("1990-05-01"))
        }
    }

    @Test("the audit table cannot be changed or emptied, even by the database owner")
    func appendOnly() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker())
            // As the owner (the trigger of 0006); the service's role is refused earlier, by its grants (LeastPrivilegeTests).
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { db in
                for statement in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                    // insufficient_privilege, from the append-only trigger.
                    let refused = try await sqlState { try await db.query(PostgresQuery(unsafeSQL: statement)) }
                    #expect(refused == "42501", "\(statement)")
                }
            }
            #expect(try await rowCount("audit_log WHERE action = 'create'", url: url) >= 1)
        }
    }
}

/// `GET /api/staff/audit`'s answer as these tests read it (keys as sent: the images' own keys are snake_case).
struct AuditHistory: Decodable {
    struct Entry: Decodable {
        let action: String
        let actor: String?
        let after: [String: String]?
    }

    let entries: [Entry]
}
