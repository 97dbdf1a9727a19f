import EmployerAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import JobMatch

/// Issue 8, item 3: one `Idempotency-Key` sent by 50 clients at once, each on its own TCP
/// connection to the live server (the `.live` test client is a single connection, on which HTTP/1.1
/// requests would be served one after another), so the requests really overlap in the server and
/// in the database.
@Suite("Employer API: Idempotency-Key under 50 concurrent connections")
struct IdempotencyConcurrencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let clients = 50

    @Test("50 identical requests at once: one vacancy; every answer is the first 201 (or its replay, same body) or 409 with Retry-After")
    func fiftyAtOnce() async throws {
        // More database connections than the tests' default 4, so that many requests are inside
        // the middleware's transaction at the same moment.
        try await withTestApp(mode: .live, configure: { $0.maxConnections = 16 }) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            let port = try #require(client.port)
            let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: Sample.vacancy(slots: 5), options: [.sortedKeys]))
            let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(employer.key)", Self.key: "one-key-50-clients"]

            // Every client connects first; then all send together.
            let connections = (0..<Self.clients).map { _ in TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60))) }
            for connection in connections { connection.connect() }
            for connection in connections { _ = try await connection.channelPromise.futureResult.get() }
            let responses: [TestClient.Response]
            do {
                responses = try await withThrowingTaskGroup(of: TestClient.Response.self) { group in
                    for connection in connections {
                        group.addTask {
                            try await connection.execute(
                                TestClient.Request(
                                    "/api/v1/vacancies",
                                    method: .post,
                                    authority: "localhost",
                                    headers: headers,
                                    body: body
                                )
                            )
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            } catch {
                for connection in connections { try? await connection.shutdown() }
                throw error
            }
            for connection in connections { try? await connection.shutdown() }

            #expect(responses.count == Self.clients)
            print(
                "idempotency: \(Self.clients) concurrent requests: \(responses.filter { $0.status == .created && $0.headers[Self.replayed] == nil }.count) original, "
                    + "\(responses.filter { $0.headers[Self.replayed] == "true" }.count) replayed, \(responses.filter { $0.status == .conflict }.count) busy (409)"
            )
            let created = responses.filter { $0.status == .created }
            let busy = responses.filter { $0.status == .conflict }
            #expect(created.count + busy.count == Self.clients, "statuses: \(responses.map(\.status.code))")
            // Exactly one answer is the original; the other 201s are replays of it, byte for byte.
            let originals = created.filter { $0.headers[Self.replayed] == nil }
            #expect(originals.count == 1, "originals: \(originals.count)")
            let firstBody = originals.first.flatMap { $0.body.map { Data(buffer: $0) } }
            for response in created {
                #expect(response.body.map { Data(buffer: $0) } == firstBody)
                if response.headers[Self.replayed] != nil { #expect(response.headers[Self.replayed] == "true") }
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            // Every 409 says the first is still running, and when to try again.
            for response in busy {
                #expect(response.headers[.retryAfter] == "1")
                let problem = try? (response.body.map { Data(buffer: $0) } ?? Data()).decoded(Components.Schemas.Problem.self)
                #expect(problem?.field == "Idempotency-Key")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await rowCount("vacancies", url: url) == 1)
            #expect(try await rowCount("idempotency_keys", url: url) == 1)
            let vacancy = try (firstBody ?? Data()).decoded(Components.Schemas.Vacancy.self)
            #expect(vacancy.slots == 5)

            // After the storm: the same key and body replays; the same key with another body is 422.
            let again = try await client.send(
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                headers: [Self.key: "one-key-50-clients"],
                Sample.vacancy(slots: 5)
            )
            #expect(again.status == .created)
            #expect(again.headers[Self.replayed] == "true")
            #expect(Data(buffer: again.body) == firstBody)
            let other = try await client.send(
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                headers: [Self.key: "one-key-50-clients"],
                Sample.vacancy(slots: 6)
            )
            #expect(other.status == .unprocessableContent)
            #expect(other.problem?.field == "Idempotency-Key")
            #expect(try await rowCount("vacancies", url: url) == 1)
        }
    }
}
