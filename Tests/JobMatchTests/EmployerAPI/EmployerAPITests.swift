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
        let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
        return try await client.issueKey(employer: employer, token: tokens.officer)
    }

    @Test("a vacancy posted with the key is stored and listed, with snake_case fields")
    func createAndList() async throws {
        try await withTestApp { client, tokens, url in
            let key = try await employerKey(client, tokens)
            let posted = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: key, Sample.vacancy())
            #expect(posted.status == .created)
            let vacancy = try posted.get()
            #expect(vacancy.occupationCode == "7212")
            #expect(vacancy.status == .open)
            #expect(vacancy.slotsFilled == 0)
            let list = try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies?status=open", token: key).get()
            #expect(list.vacancies.map(\.id) == [vacancy.id])
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
                let response = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: key, body)
                #expect(response.status == status, "\(field)")
                #expect(response.problem?.field == field, "\(field)")
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
