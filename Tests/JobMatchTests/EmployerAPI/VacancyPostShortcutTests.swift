import EmployerAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API: the one-trip vacancy POST")
struct VacancyPostShortcutTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// A vacancy in the common case: a 2025 ward, a known occupation, catalogue skill names as listed.
    static func vacancy(reference: String? = nil, skills: [String] = ["Hàn điện", "Đọc bản vẽ"]) -> [String: Any] {
        var body = Sample.vacancy(slots: 3)
        body["skills"] = skills
        body["description"] = "Ca ngày \"A\"/B, có xe đưa đón."
        body["wage_min"] = 7_000_000
        body["contact"] = ["name": "Chị Lan", "phone": "0912 000 111"]
        if let reference { body["reference"] = reference }
        return body
    }

    @Test("the answer is the document GET gives for the new vacancy, its skills in Vietnamese order, with the audit entry")
    func sameAnswerAsRead() async throws {
        try await withTestApp { client, tokens, url async throws in
            // setup
            let employer = try await TestEmployer.make(client, tokens)
            for name in ["Hàn điện", "Đọc bản vẽ", "An toàn lao động"] {
                #expect(try await client.json(.post, "/api/staff/skills", token: tokens.officer, ["name": name]).status == .created)
            }
            // act
            let posted = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: [Self.key: "one-trip-1"], Self.vacancy())
            // verify
            #expect(posted.status == .created)
            #expect(posted.headers[.contentType] == "application/json; charset=utf-8")
            let created = try posted.decoded(Components.Schemas.Vacancy.self)
            #expect(created.skills == ["Đọc bản vẽ", "Hàn điện"])
            #expect(created.slotsFilled == 0 && created.status == .open)
            let read = try await client.send(.get, "/api/v1/vacancies/\(created.id)", token: employer.key)
            #expect(read.headers[.contentType] == posted.headers[.contentType])
            // The same document (compact JSON leaves the order of keys to the encoder).
            let postedObject = try JSONSerialization.jsonObject(with: Data(buffer: posted.body)) as? NSDictionary
            let readObject = try JSONSerialization.jsonObject(with: Data(buffer: read.body)) as? NSDictionary
            #expect(postedObject != nil && postedObject == readObject)
            #expect(!String(buffer: posted.body).contains("\n"), "compact JSON unless asked")
            #expect(try await rowCount("vacancy_skills", url: url) == 2)
            #expect(try await rowCount("audit_log WHERE entity = 'vacancy' AND action = 'create'", url: url) == 1)
            #expect(try await rowCount("idempotency_keys", url: url) == 1)

            let retry = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: [Self.key: "one-trip-1"], Self.vacancy())
            #expect(retry.status == .created)
            #expect(retry.headers[Self.replayed] == "true")
            #expect(String(buffer: retry.body) == String(buffer: posted.body))
            #expect(try await rowCount("vacancies", url: url) == 1)
        }
    }

    @Test("a taken reference is a 409 naming the vacancy; a reused key with another body is a 422; nothing is written")
    func refusals() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let first = try await client.send(.post, "/api/v1/vacancies", token: employer.key, Self.vacancy(reference: "R-1", skills: []))
            #expect(first.status == .created)
            let id = try first.decoded(Components.Schemas.Vacancy.self).id

            let taken = try await client.send(
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                headers: [Self.key: "k-2"],
                Self.vacancy(reference: "R-1", skills: [])
            )
            #expect(taken.status == .conflict)
            #expect(taken.problem?.field == "reference")
            #expect(String(buffer: taken.body).contains("\(id)"))
            #expect(try await rowCount("idempotency_keys", url: url) == 0, "a refusal stores nothing under the key")

            let stored = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: [Self.key: "k-2"], Self.vacancy(skills: []))
            #expect(stored.status == .created)
            var other = Self.vacancy(skills: [])
            other["slots"] = 9
            let reused = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: [Self.key: "k-2"], other)
            #expect(reused.status == .unprocessableContent)
            #expect(reused.problem?.field == "Idempotency-Key")
            #expect(try await rowCount("vacancies", url: url) == 2)
            #expect(try await rowCount("audit_log WHERE entity = 'vacancy'", url: url) == 2)
        }
    }

    @Test("names the catalogue spells otherwise, skills added since it was read and legacy wards take the ordinary way to the same result")
    func ordinaryWay() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.post, "/api/staff/skills", token: tokens.officer, ["name": "Hàn điện"]).status == .created)
            #expect(try await client.send(.post, "/api/v1/vacancies", token: employer.key, Self.vacancy(skills: ["Hàn điện"])).status == .created)
            // Added after the in-memory catalogue was read, and written without diacritics.
            #expect(try await client.json(.post, "/api/staff/skills", token: tokens.officer, ["name": "Đọc bản vẽ"]).status == .created)
            let unaccented = try await client.send(.post, "/api/v1/vacancies", token: employer.key, Self.vacancy(skills: ["doc ban ve", "HÀN ĐIỆN"]))
            #expect(unaccented.status == .created)
            #expect(try unaccented.decoded(Components.Schemas.Vacancy.self).skills == ["Đọc bản vẽ", "Hàn điện"])
            let unknown = try await client.send(.post, "/api/v1/vacancies", token: employer.key, Self.vacancy(skills: ["Hàn điện", "Lặn biển"]))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.problem?.field == "skills[1]")
            var legacy = Self.vacancy(skills: [])
            legacy.removeValue(forKey: "ward_code")
            legacy["legacy_ward_code"] = "31318"
            let viaLegacy = try await client.send(.post, "/api/v1/vacancies", token: employer.key, legacy)
            #expect(viaLegacy.status == .created)
            #expect(try viaLegacy.decoded(Components.Schemas.Vacancy.self).wardCode == "31321")
            #expect(try await rowCount("vacancies", url: url) == 3)
        }
    }

    @Test("?pretty indents a JSON answer with sorted keys; without it the answer is compact")
    func pretty() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let compact = try await client.send(.post, "/api/v1/vacancies", token: employer.key, Self.vacancy(skills: []))
            let id = try compact.decoded(Components.Schemas.Vacancy.self).id
            let plain = try await client.send(.get, "/api/v1/vacancies/\(id)", token: employer.key)
            #expect(!String(buffer: plain.body).contains("\n"))
            let pretty = try await client.send(.get, "/api/v1/vacancies/\(id)?pretty", token: employer.key)
            #expect(pretty.status == .ok)
            let text = String(buffer: pretty.body)
            #expect(text.contains("\n  \"closing_date\""))
            #expect(try pretty.decoded(Components.Schemas.Vacancy.self).id == id)
        }
    }
}
