import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

/// Full reads on a real streaming standby of the test cluster (`DATABASE_REPLICA_URL`): a placement
/// the primary has and the paused standby has not shows where an export was read.
@Suite("Replica reads", .serialized)
struct ReplicaReadTests {
    static let exportPath = "/api/staff/exports/placements?month=2026-10&as_of=2026-11-30&format=csv"

    @Test("within the lag limit an export reads the standby, and its audit entry is written on the primary")
    func exportReadsTheStandby() async throws {
        // setup: a limit no pause in this test reaches
        try await Self.withStandbyApp(maxLag: .seconds(3600)) { standby, client, tokens, url in
            // act: replay paused, then a placement only the primary has
            try await standby.query("SELECT 'paused' FROM pg_wal_replay_pause()")
            let late = try await insertWorker("Lê Thị Muộn", url: url)
            _ = try await insertPlacement(worker: late, start: "2026-10-06", url: url)
            let export = try await Self.export(client, tokens)
            // verify: the standby's data, not the primary's
            #expect(export.contains("Phạm Văn Đọc"))
            #expect(!export.contains("Lê Thị Muộn"))
            // the progress report and a table report on the standby, which refuses writes and temporary tables
            #expect(try await client.json(.get, "/api/staff/progress", token: tokens.viewer).status == .ok)
            #expect(try await client.raw(.get, "/api/staff/reports/workers-by-status-ward?format=csv", token: tokens.officer).status == .ok)
            let metrics = try await Self.metrics(client, tokens)
            #expect(Self.value(metrics, "jobmatch_replica_in_use") == 1)
            #expect((Self.value(metrics, "jobmatch_replica_lag_seconds") ?? -1) >= 0)
            let audited = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { primary in
                try await primary.query("SELECT count(*) FROM audit_log WHERE action = 'export'", logger: TestCluster.logger).first(Int64.self)
            }
            #expect(audited == 2)
            try await standby.query("SELECT 'resumed' FROM pg_wal_replay_resume()")
        }
    }

    @Test("past the lag limit the reads go to the primary, and back to the standby once it has caught up")
    func laggingStandbyIsBypassed() async throws {
        // setup
        try await Self.withStandbyApp(maxLag: .seconds(1)) { standby, client, tokens, url in
            // act: replay paused, a placement only the primary has, and time past the limit
            try await standby.query("SELECT 'paused' FROM pg_wal_replay_pause()")
            let late = try await insertWorker("Lê Thị Muộn", url: url)
            _ = try await insertPlacement(worker: late, start: "2026-10-06", url: url)
            try await Self.waitForMetric(client, tokens, "jobmatch_replica_in_use", equal: 0)
            let bypassed = try await Self.export(client, tokens)
            // verify: read on the primary, since the standby still lacks the late placement
            let database = String(url.split(separator: "?")[0].split(separator: "/").last!)
            #expect(try await standby.query("SELECT count(*)::text FROM workers WHERE full_name = 'Lê Thị Muộn'", database: database) == "0")
            #expect(bypassed.contains("Lê Thị Muộn"))
            #expect((Self.value(try await Self.metrics(client, tokens), "jobmatch_replica_lag_seconds") ?? 0) > 1)
            // act: replay resumed
            try await standby.query("SELECT 'resumed' FROM pg_wal_replay_resume()")
            try await Self.waitForMetric(client, tokens, "jobmatch_replica_in_use", equal: 1)
            // verify: the standby serves again, now with the late placement
            #expect(try await Self.export(client, tokens).contains("Lê Thị Muộn"))
        }
    }

    /// One standby for both (each standby is a base backup of the whole test cluster).
    @Test(
        "the candidate copy's whole read and a batch's read of the workers' facts go to the standby; the batch's vacancies and proposals stay on the primary"
    )
    func matchingReadsTheStandby() async throws {
        // setup: the service keeps its candidate copy
        try await Self.withStandbyApp(maxLag: .seconds(3600), candidateIndex: true) { standby, client, tokens, url in
            let onReplica = "jobmatch_candidate_index_reads_total{server=\"replica\"}"
            let before = Self.value(try await Self.metrics(client, tokens), onReplica) ?? 0
            // act (the copy): a change that may reach anyone, as a change of the catalogues notes it
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { primary in
                _ = try await primary.query("INSERT INTO matching_changes (worker_id) VALUES (NULL)", logger: TestCluster.logger).collect()
            }
            // verify: a whole new copy, read on the standby
            try await Self.waitForMetric(client, tokens, onReplica, until: { ($0 ?? 0) >= before + 1 })
            // setup (the batch): an open vacancy both servers have
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await postVacancy(client, key: employer.key, ["title": "Thợ hàn", "occupation_code": "7212", "slots": 1])
            try await standby.waitUntilCaughtUp()
            // act (the batch): replay paused, then a welder only the primary has
            try await standby.query("SELECT 'paused' FROM pg_wal_replay_pause()")
            let welder = try await People(client: client, tokens: tokens).worker("Trần Văn Hàn", occupations: ["7212"])
            let unseen = try await MatchBatchTests.runBatch(client, tokens)
            // verify: the standby's workers, so nobody to propose yet
            #expect(unseen.vacancies == 1)
            #expect(unseen.items.isEmpty)
            // act: replay resumed, until the standby itself shows the welder
            try await standby.query("SELECT 'resumed' FROM pg_wal_replay_resume()")
            let database = String(url.split(separator: "?")[0].split(separator: "/").last!)
            let deadline = ContinuousClock.now + .seconds(120)
            while try await standby.query("SELECT count(*)::text FROM workers WHERE id = \(welder)", database: database) != "1" {
                guard ContinuousClock.now < deadline else { throw TestFailure("the standby never showed the welder") }
                try await Task.sleep(for: .milliseconds(200))
            }
            let seen = try await MatchBatchTests.runBatch(client, tokens)
            // verify: now the welder is read and proposed for the vacancy
            #expect(
                seen.items.map(\.workerId) == [Int64(welder)],
                "vacancies \(seen.vacancies), open slots \(seen.openSlots ?? -1), most fillable \(seen.mostFillable ?? -1)"
            )
            #expect(seen.items.map(\.vacancyId) == [Int64(vacancy)])
        }
    }

    @Test("an unreachable replica is bypassed: the metrics say so and exports and the dashboard still work")
    func unreachableReplicaIsBypassed() async throws {
        // setup: a replica address where nothing listens
        try await withTestApp(configure: { config in
            config.databaseReplicaURL = "postgres://jobmatch_service@localhost/jobmatch?host=/nonexistent-jobmatch-standby"
            config.replicaLagInterval = .milliseconds(200)
        }) { client, tokens, url in
            let kept = try await insertWorker("Phạm Văn Đọc", url: url)
            _ = try await insertPlacement(worker: kept, start: "2026-10-05", url: url)
            // act
            try await Self.waitForMetric(client, tokens, "jobmatch_replica_in_use", equal: 0)
            let export = try await Self.export(client, tokens)
            let progress = try await client.json(.get, "/api/staff/progress", token: tokens.viewer)
            // verify
            #expect(export.contains("Phạm Văn Đọc"))
            #expect(progress.status == .ok)
            #expect(Self.value(try await Self.metrics(client, tokens), "jobmatch_replica_lag_seconds") == -1)
        }
    }

    /// A test app reading from a real standby with `maxLag`, after a worker placed in October that
    /// both servers have and the standby in use.
    static func withStandbyApp(
        maxLag: Duration,
        candidateIndex: Bool = false,
        _ body: @escaping @Sendable (TestStandby, any TestClientProtocol, TestTokens, String) async throws -> Void
    ) async throws {
        try await TestStandby.with { standby in
            try await withTestApp(configure: { config in
                config.databaseReplicaURL = try? standby.url(of: config.databaseURL ?? "")
                config.replicaMaxLag = maxLag
                config.replicaLagInterval = .milliseconds(200)
                config.candidateIndex = candidateIndex
            }) { client, tokens, url in
                let kept = try await insertWorker("Phạm Văn Đọc", url: url)
                _ = try await insertPlacement(worker: kept, start: "2026-10-05", url: url)
                try await standby.waitUntilCaughtUp()
                try await Self.waitForMetric(client, tokens, "jobmatch_replica_in_use", equal: 1)
                try await body(standby, client, tokens, url)
            }
        }
    }

    /// The month's placement export as CSV text, as an officer downloads it.
    static func export(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> String {
        let response = try await client.raw(.get, Self.exportPath, token: tokens.officer)
        guard response.status == .ok else { throw TestFailure("export answered \(response.status)") }
        return String(buffer: response.body)
    }

    static func metrics(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> String {
        String(buffer: try await client.raw(.get, "/metrics", token: tokens.viewer).body)
    }

    /// A metric's value in Prometheus text; nil when absent.
    static func value(_ metrics: String, _ name: String) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Waits (up to a minute) until `/metrics` shows `name` at `value`.
    static func waitForMetric(_ client: any TestClientProtocol, _ tokens: TestTokens, _ name: String, equal value: Double) async throws {
        try await Self.waitForMetric(client, tokens, name, until: { $0 == value })
    }

    /// Waits (up to a minute) until `/metrics` shows `name` at a value `until` accepts (nil: absent).
    static func waitForMetric(
        _ client: any TestClientProtocol,
        _ tokens: TestTokens,
        _ name: String,
        until accepted: (Double?) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var last: Double?
        while ContinuousClock.now < deadline {
            last = Self.value(try await Self.metrics(client, tokens), name)
            if accepted(last) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(name) stayed \(last.map { "\($0)" } ?? "absent")")
    }
}
