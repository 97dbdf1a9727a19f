import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Access control")
struct AccessTests {
    @Test("health needs no credential; everything else does")
    func healthIsPublic() async throws {
        try await withTestApp { client, tokens, _ in
            #expect(try await client.json(.get, "/healthz", token: nil).status == .ok)
            #expect(try await readiness(client) == .ok)
            for (method, uri) in [
                (HTTPRequest.Method.get, "/api/staff/progress"), (.post, "/api/staff/workers"), (.get, "/api/v1/vacancies"), (.get, "/metrics"),
            ] {
                let (status, body) = try await client.json(method, uri, token: nil)
                #expect(status == .unauthorized, "\(uri)")
                #expect(body["title"] as? String == "Chưa xác thực")
            }
            #expect(try await client.json(.get, "/api/staff/progress", token: "jms_not-a-real-token").status == .unauthorized)
            #expect(try await client.json(.get, "/metrics", token: tokens.viewer).status == .ok)
        }
    }

    @Test("an employer key cannot call staff endpoints, and a staff token cannot call the employer API")
    func rolesDoNotCross() async throws {
        try await withTestApp { client, tokens, _ in
            let employer = try await client.json(.post, "/api/staff/employers", token: tokens.officer, Sample.employer()).body["id"] as! Int
            let key = try await client.json(.post, "/api/staff/employers/\(employer)/keys", token: tokens.admin).body["api_key"] as! String
            #expect(try await client.json(.get, "/api/staff/progress", token: key).status == .forbidden)
            #expect(try await client.json(.post, "/api/staff/workers", token: key, Sample.worker()).status == .forbidden)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: tokens.admin).status == .forbidden)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: key).status == .ok)
        }
    }

    @Test("a viewer reads but cannot write, and nothing is written")
    func viewerCannotWrite() async throws {
        try await withTestApp { client, tokens, url in
            let (status, body) = try await client.json(.post, "/api/staff/households", token: tokens.viewer, Sample.household())
            #expect(status == .forbidden)
            #expect(body["status"] as? Int == 403)
            #expect(try await rowCount("households", url: url) == 0)
            #expect(try await client.json(.get, "/api/staff/progress", token: tokens.viewer).status == .ok)
        }
    }

    @Test("an employer sees only its own vacancies")
    func employerIsolation() async throws {
        try await withTestApp { client, tokens, _ in
            let a =
                try await client.json(.post, "/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: "0100109106")).body["id"] as! Int
            let b =
                try await client.json(.post, "/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: "0300588569")).body["id"] as! Int
            let keyA = try await client.json(.post, "/api/staff/employers/\(a)/keys", token: tokens.officer).body["api_key"] as! String
            let keyB = try await client.json(.post, "/api/staff/employers/\(b)/keys", token: tokens.officer).body["api_key"] as! String
            let vacancy = try await client.json(.post, "/api/v1/vacancies", token: keyA, Sample.vacancy()).body["id"] as! Int
            #expect(try await client.json(.get, "/api/v1/vacancies/\(vacancy)", token: keyA).status == .ok)
            #expect(try await client.json(.get, "/api/v1/vacancies/\(vacancy)", token: keyB).status == .notFound)
            let listB = try await client.json(.get, "/api/v1/vacancies", token: keyB).body["vacancies"] as? [Any]
            #expect(listB?.isEmpty == true)
        }
    }

    @Test("only hashes of tokens and keys are stored")
    func onlyHashesStored() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await client.json(.post, "/api/staff/employers", token: tokens.officer, Sample.employer()).body["id"] as! Int
            let key = try await client.json(.post, "/api/staff/employers/\(employer)/keys", token: tokens.admin).body["api_key"] as! String
            let dump = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    """
                    SELECT string_agg(t::text, ' ') FROM (SELECT * FROM staff_tokens) t
                    UNION ALL SELECT string_agg(k::text, ' ') FROM (SELECT * FROM employer_api_keys) k
                    UNION ALL SELECT string_agg(a::text, ' ') FROM (SELECT * FROM audit_log) a
                    """
                ).decode(String?.self).reduce(into: "") { $0 += ($1 ?? "") }
            }
            for secret in [tokens.admin, tokens.officer, tokens.viewer, key] {
                #expect(!dump.contains(secret))
                #expect(!dump.contains(String(secret.dropFirst(12))))
            }
        }
    }
}
