import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Logging
import PostgresNIO
import Testing

@testable import JobMatch

/// Two instances of the service on one database at once (as behind a load balancer, each with its
/// own pool and caches): idempotency, the last open slot and the counts still hold, and a key
/// revoked through one is refused by the other.
@Suite("Two instances on one database")
struct TwoInstancesTests {
    /// Runs `body` with a client for each of two applications built on the same fresh database.
    func withTwoInstances(
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, TestTokens, String) async throws -> Void
    ) async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        let tokens = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let store = CredentialStore(client: client, logger: TestCluster.logger)
            return TestTokens(
                admin: try await store.addStaff(username: "admin", role: .admin).token.value,
                officer: try await store.addStaff(username: "officer", role: .officer).token.value,
                viewer: try await store.addStaff(username: "viewer", role: .viewer).token.value
            )
        }
        func config() -> AppConfig {
            var config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory, maxConnections: 4)
            config.databaseOwnerURL = TestCluster.ownerURL(of: url)
            config.retention.enabled = false
            config.port = 0
            config.exportSchedule.enabled = false
            config.databaseGate = .seconds(60)  // as TestApp: a busy test machine is not a database that stopped answering
            config.connectionWait = .seconds(60)  // as TestApp: the same for a request's wait for its share of the pool (a 503 under a loaded full run)
            return config
        }
        let first = try await buildApplication(config(), logger: TestCluster.logger)
        let second = try await buildApplication(config(), logger: TestCluster.logger)
        try await first.test(.router) { a in
            try await second.test(.router) { b in
                try await body(a, b, tokens, url)
            }
        }
    }

    @Test("a retry through the other instance replays; concurrent sends with one key through both make one vacancy")
    func idempotency() async throws {
        try await withTwoInstances { a, b, tokens, url in
            let employer = try await TestEmployer.make(a, tokens)
            let first = try await a.send(
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                headers: [IdempotencyMiddleware.header: "retry-1"],
                Sample.vacancy()
            )
            #expect(first.status == .created)
            let replay = try await b.send(
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                headers: [IdempotencyMiddleware.header: "retry-1"],
                Sample.vacancy()
            )
            #expect(replay.status == .created && replay.headers[IdempotencyMiddleware.replayed] == "true")
            #expect(String(buffer: replay.body) == String(buffer: first.body), "the original response, from the other instance")

            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    let client = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        try await client.send(
                            .post,
                            "/api/v1/vacancies",
                            token: employer.key,
                            headers: [IdempotencyMiddleware.header: "burst-1"],
                            Sample.vacancy(slots: 3)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            #expect(statuses.contains(.created))
            #expect(try await rowCount("vacancies", url: url) == 2, "one vacancy per key, whichever instance answered")
        }
    }

    @Test("the last open slot is filled once when both instances hire at the same moment; both report the same counts as SQL")
    func lastSlotAndCounts() async throws {
        try await withTwoInstances { a, b, tokens, url in
            let householdID = Int64(try await a.created("/api/staff/households", token: tokens.officer, Sample.household()))
            var workers: [Int] = []
            for index in 0..<6 {
                var body = Sample.worker(cccd: "09319012345\(index)", household: householdID).consenting()
                body["full_name"] = "Người lao động \(index)"
                workers.append(try await (index.isMultiple(of: 2) ? a : b).created("/api/staff/workers", token: tokens.officer, body))
            }
            let employer = try await TestEmployer.make(a, tokens)
            let vacancy = Int(
                try await a.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy(slots: 1)).get()
                    .id
            )
            var referrals: [Int] = []
            for worker in workers {
                referrals.append(try await b.created("/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancy, "worker_id": worker]))
            }
            let today = LocalDate.today().description
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, referral) in referrals.enumerated() where index >= 3 {
                    let client = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        try await client.json(.post, "/api/staff/referrals/\(referral)/hire", token: tokens.officer, ["start_date": today]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { (200..<300).contains($0.code) }.count == 1, "one hire for the one slot: \(statuses)")
            #expect(statuses.allSatisfy { (200..<300).contains($0.code) || $0 == .conflict }, "\(statuses)")
            #expect(try await rowCount("vacancies WHERE slots_filled = 1 AND slots = 1", url: url) == 1)

            // Two more people placed, through each instance (not those up for the hire); the same worker twice counts once.
            for (client, worker) in [(a, workers[1]), (b, workers[1]), (b, workers[2])] {
                _ = try await client.json(
                    .post,
                    "/api/staff/placements",
                    token: tokens.officer,
                    ["worker_id": worker, "channel": "self_employment", "start_date": today, "evidence": "Giấy xác nhận"]
                )
            }
            let recount = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.query(
                    """
                    SELECT count(DISTINCT worker_id) FROM placements p
                    WHERE p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                      AND p.start_date BETWEEN '2026-01-01' AND '2030-12-31'
                    """,
                    logger: TestCluster.logger
                ).collect(Int.self).first ?? -1
            }
            let fromA = try await a.registry(.get, "/api/staff/progress", token: tokens.viewer, as: RegistryAnswer.Progress.self).value()
            let fromB = try await b.registry(.get, "/api/staff/progress", token: tokens.viewer, as: RegistryAnswer.Progress.self).value()
            func jobs(_ progress: RegistryAnswer.Progress) -> Int? {
                progress.targets.first { $0.key.hasPrefix("jobs_2026") }?.count
            }
            #expect(jobs(fromA) != nil && jobs(fromA) == jobs(fromB), "both instances count alike")
            #expect(jobs(fromA) == recount, "and as an independent recount: \(String(describing: jobs(fromA))) vs \(recount)")
            #expect(recount == 3)
        }
    }

    @Test("a key revoked through one instance is refused by the other")
    func revocation() async throws {
        try await withTwoInstances { a, b, tokens, _ in
            let employer = try await TestEmployer.make(a, tokens)
            #expect(try await b.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok, "the other instance now holds the key in memory")
            #expect(try await a.json(.post, "/api/staff/employer-keys/\(employer.keyID)/revoke", token: tokens.officer).status == .ok)
            // The other instance hears of the change through PostgreSQL's notification, a moment after the commit.
            var status = HTTPResponse.Status.ok
            for _ in 0..<50 where status != .unauthorized {
                status = try await b.json(.get, "/api/v1/vacancies", token: employer.key).status
                if status != .unauthorized { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == .unauthorized)
        }
    }
}
