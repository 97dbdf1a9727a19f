import EmployerAPI
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
                let response = try await client.send(method, uri, token: nil)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(response.problem?.title == "Chưa xác thực")
            }
            #expect(try await client.json(.get, "/api/staff/progress", token: "jms_not-a-real-token").status == .unauthorized)
            #expect(try await client.json(.get, "/metrics", token: tokens.viewer).status == .ok)
        }
    }

    @Test("an employer key cannot call staff endpoints, and a staff token cannot call the employer API")
    func rolesDoNotCross() async throws {
        try await withTestApp { client, tokens, _ in
            let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
            let key = try await client.issueKey(employer: employer, token: tokens.admin)
            #expect(try await client.json(.get, "/api/staff/progress", token: key).status == .forbidden)
            #expect(try await client.json(.post, "/api/staff/workers", token: key, Sample.worker()).status == .forbidden)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: tokens.admin).status == .forbidden)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: key).status == .ok)
        }
    }

    @Test("a viewer reads but cannot write, and nothing is written")
    func viewerCannotWrite() async throws {
        try await withTestApp { client, tokens, url in
            let refused = try await client.send(.post, "/api/staff/households", token: tokens.viewer, Sample.household())
            #expect(refused.status == .forbidden)
            #expect(refused.problem?.status == 403)
            #expect(try await rowCount("households", url: url) == 0)
            #expect(try await client.json(.get, "/api/staff/progress", token: tokens.viewer).status == .ok)
        }
    }

    @Test("an employer sees only its own vacancies")
    func employerIsolation() async throws {
        try await withTestApp { client, tokens, _ in
            let a = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: "0100109106"))
            let b = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: "0300588569"))
            let keyA = try await client.issueKey(employer: a, token: tokens.officer)
            let keyB = try await client.issueKey(employer: b, token: tokens.officer)
            let vacancy = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: keyA, Sample.vacancy()).get().id
            #expect(try await client.json(.get, "/api/v1/vacancies/\(vacancy)", token: keyA).status == .ok)
            #expect(try await client.json(.get, "/api/v1/vacancies/\(vacancy)", token: keyB).status == .notFound)
            let listB = try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies", token: keyB).get()
            #expect(listB.vacancies.isEmpty)
        }
    }

    @Test("only hashes of tokens and keys are stored")
    func onlyHashesStored() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
            let key = try await client.issueKey(employer: employer, token: tokens.admin)
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
