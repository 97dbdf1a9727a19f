import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API")
struct EmployerAPITests {
    /// An employer and its key, made through the staff API.
    func employerKey(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> String {
        let employer = try await client.json(.post, "/api/staff/employers", token: tokens.officer, Sample.employer()).body["id"] as! Int
        return try await client.json(.post, "/api/staff/employers/\(employer)/keys", token: tokens.officer).body["api_key"] as! String
    }

    @Test("a vacancy posted with the key is stored and listed, with snake_case fields")
    func createAndList() async throws {
        try await withTestApp { client, tokens, url in
            let key = try await employerKey(client, tokens)
            let (status, body) = try await client.json(.post, "/api/v1/vacancies", token: key, Sample.vacancy())
            #expect(status == .created)
            #expect(body["occupation_code"] as? String == "7212")
            #expect(body["status"] as? String == "open")
            #expect(body["slots_filled"] as? Int == 0)
            let list = try await client.json(.get, "/api/v1/vacancies?status=open", token: key).body["vacancies"] as? [[String: Any]]
            #expect(list?.count == 1)
            #expect(try await rowCount("audit_log WHERE entity = 'vacancy' AND actor_kind = 'employer'", url: url) == 1)
        }
    }

    @Test("bad vacancies get a problem naming the field and write nothing")
    func badInput() async throws {
        try await withTestApp { client, tokens, url in
            let key = try await employerKey(client, tokens)
            let cases: [([String: Any], String, HTTPResponse.Status)] = [
                (Sample.vacancy().merging(["surprise": 1]) { $1 }, "surprise", .badRequest),
                (Sample.vacancy().filter { $0.key != "title" }, "title", .badRequest),
                (Sample.vacancy().merging(["slots": "two"]) { $1 }, "slots", .badRequest),
                (Sample.vacancy(slots: 0), "slots", .unprocessableContent),
                (Sample.vacancy(occupation: "9999"), "occupation_code", .unprocessableContent),
                (Sample.vacancy().merging(["ward_code": "00000"]) { $1 }, "ward_code", .unprocessableContent),
                (Sample.vacancy().merging(["closing_date": "2020-01-01"]) { $1 }, "closing_date", .unprocessableContent),
                (Sample.vacancy().merging(["closing_date": "31/01/2027"]) { $1 }, "closing_date", .unprocessableContent),
                (Sample.vacancy().merging(["wage_min": 9_000_000, "wage_max": 5_000_000]) { $1 }, "wage_max", .unprocessableContent),
            ]
            for (body, field, status) in cases {
                let response = try await client.json(.post, "/api/v1/vacancies", token: key, body)
                #expect(response.status == status, "\(field)")
                #expect(response.body["field"] as? String == field, "\(field)")
            }
            let problem = try await client.raw(.post, "/api/v1/vacancies", token: key, body: "not json")
            #expect(problem.status == .badRequest)
            #expect(problem.headers[.contentType] == "application/problem+json")
            #expect(try await rowCount("vacancies", url: url) == 0)
        }
    }

    @Test("the OpenAPI document is bundled with the target")
    func contractIsBundled() {
        #expect(EmployerAPIContract.document?.contains("openapi: 3.1.0") == true)
        #expect(EmployerAPIContract.document?.contains("/vacancies") == true)
    }
}
