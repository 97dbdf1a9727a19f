import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Employer API: Idempotency-Key")
struct IdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test("a retry with the same key and body replays the first response; another body is 422; nothing is made twice")
    func replay() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let headers: HTTPFields = [Self.key: "5f0c6e1a-0001"]
            let first = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy())
            #expect(first.status == .created)
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            let retry = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy())
            #expect(retry.status == .created)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(Data(buffer: retry.body) == Data(buffer: first.body))
            #expect(try await rowCount("vacancies", url: url) == 1)

            let other = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy(slots: 9))
            #expect(other.status == .unprocessableContent)
            #expect(other.problem?.field == "Idempotency-Key")
            #expect(try await rowCount("vacancies", url: url) == 1)

            // A failed request stores nothing: corrected, it may go with the same key.
            let badKey: HTTPFields = [Self.key: "5f0c6e1a-0002"]
            #expect(
                try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: badKey, Sample.vacancy(slots: 0)).status
                    == .unprocessableContent
            )
            #expect(
                try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: badKey, Sample.vacancy(slots: 1)).status == .created
            )
            #expect(try await rowCount("idempotency_keys", url: url) == 2)

            // Keys belong to an employer: another employer's same key is its own.
            let second = try await TestEmployer.make(client, tokens, taxCode: "0301234562")
            #expect(try await client.send(.post, "/api/v1/vacancies", token: second.key, headers: headers, Sample.vacancy()).status == .created)
            #expect(try await rowCount("vacancies", url: url) == 3)
        }
    }

    @Test("concurrent requests with one key make one vacancy: the others get 409 or the replay")
    func concurrent() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let headers: HTTPFields = [Self.key: "same-key-for-all"]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy()).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict })
            #expect(statuses.contains(.created))
            #expect(try await rowCount("vacancies", url: url) == 1)
        }
    }

    @Test("a key older than 24 hours is forgotten; a key longer than 255 characters is refused")
    func expiry() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let headers: HTTPFields = [Self.key: "old-key"]
            #expect(try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy()).status == .created)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour'")
            }
            let again = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: headers, Sample.vacancy())
            #expect(again.status == .created)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(try await rowCount("vacancies", url: url) == 2)
            #expect(try await rowCount("idempotency_keys", url: url) == 1)
            let long: HTTPFields = [Self.key: String(repeating: "k", count: 256)]
            let refused = try await client.send(.post, "/api/v1/vacancies", token: employer.key, headers: long, Sample.vacancy())
            #expect(refused.status == .unprocessableContent)
            #expect(try await rowCount("vacancies", url: url) == 2)
        }
    }
}
