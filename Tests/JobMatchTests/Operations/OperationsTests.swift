import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Health, readiness and metrics")
struct OperationsTests {
    @Test("readyz turns 503 when the schema no longer matches the migrations")
    func readinessFollowsMigrations() async throws {
        try await withTestApp { client, _, url in
            #expect(try await readiness(client) == .ok)
            // As the owner: the service's role may only read the migration ledger.
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { db in
                try await db.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2")
            }
            let ready = try await client.answer(OperationsRoutes.Health.self, .get, "/readyz", token: nil)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.get().status == "not ready")
            #expect(try await client.json(.get, "/healthz", token: nil).status == .ok)
        }
    }

    @Test("metrics are Prometheus text and count requests")
    func metrics() async throws {
        try await withTestApp { client, tokens, _ in
            _ = try await client.json(.get, "/api/staff/progress", token: tokens.viewer)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(tokens.viewer)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("# TYPE"))
            #expect(text.contains("hb_request"))
        }
    }

    @Test("every response carries the security headers")
    func securityHeaders() async throws {
        try await withTestApp { client, _, _ in
            for uri in ["/healthz", "/api/staff/progress", "/no/such/page"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true, "\(uri)")
                #expect(response.headers[SecurityHeadersMiddleware<AppRequestContext>.frameOptions] == "DENY", "\(uri)")
            }
            let missing = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}
