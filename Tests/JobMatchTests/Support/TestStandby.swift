import Foundation
import PostgresNIO

@testable import JobMatch

#if canImport(Glibc)
import Glibc
#endif

/// A streaming standby of the test cluster, made as `deploy/standby` makes one: `pg_basebackup -R`
/// (primary_conninfo and standby.signal), started in a directory of its own on a Unix socket of
/// its own. Databases the tests create later on the primary reach it by replication.
struct TestStandby: Sendable {
    let cluster: EmbeddedPostgres

    /// Runs `body` with a running standby; stops it and removes its directory afterwards, even
    /// when `body` or the start fails.
    static func with<T: Sendable>(_ body: @Sendable (TestStandby) async throws -> T) async throws -> T {
        let primary = try await TestCluster.shared.value
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("jobmatch-standby-\(getpid())-\(UUID().uuidString.prefix(8))").path
        let standby = TestStandby(cluster: try EmbeddedPostgres(home: home, settings: primary.settings, logger: TestCluster.logger))
        let result: Result<T, any Error>
        do {
            try await standby.start(from: primary, home: home)
            result = .success(try await body(standby))
        } catch {
            result = .failure(error)
        }
        try? await onOwnThread {
            standby.cluster.stop()
            try? FileManager.default.removeItem(atPath: home)
        }
        return try result.get()
    }

    /// Copies the primary with `pg_basebackup` into `home` and starts the copy as its standby.
    private func start(from primary: EmbeddedPostgres, home: String) async throws {
        let standby = self
        try await onOwnThread {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            if let account = primary.runner.account, let entry = getpwnam(account) {
                _ = chown(home, entry.pointee.pw_uid, entry.pointee.pw_gid)
            }
            let backup = try primary.runner.run(
                primary.binaries.directory + "/pg_basebackup",
                [
                    "-D", standby.cluster.dataDirectory, "-h", primary.socketDirectory, "-U", EmbeddedPostgres.superuser, "-X", "stream", "-R", "-c",
                    "fast",
                ],
                in: home
            )
            guard backup.status == 0 else { throw TestFailure("pg_basebackup failed: \(backup.output)") }
            _ = try standby.cluster.start()
        }
    }

    /// The service's URL for `primaryURL`'s database, on the standby (the same role: a physical
    /// standby has the primary's roles).
    func url(of primaryURL: String) throws -> String {
        guard let range = primaryURL.range(of: "?host=") else { throw TestFailure("not a test cluster URL: \(primaryURL)") }
        return String(primaryURL[..<range.lowerBound]) + "?host=" + self.cluster.socketDirectory
    }

    /// Runs `sql` on the standby as its superuser (to pause and resume replay), returning the first
    /// column of the first row as text.
    @discardableResult
    func query(_ sql: String, database: String = "postgres") async throws -> String? {
        let configuration = self.cluster.clientConfiguration(database: database, username: EmbeddedPostgres.superuser)
        return try await TestCluster.withClient(configuration) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestCluster.logger).first(String?.self) ?? nil
        }
    }

    /// Waits until the standby is in recovery and has replayed everything the primary had when asked.
    func waitUntilCaughtUp(timeout: Duration = .seconds(120)) async throws {
        let primary = try await TestCluster.shared.value
        let configuration = primary.clientConfiguration(database: "postgres", username: EmbeddedPostgres.superuser)
        let target = try await TestCluster.withClient(configuration) { client in
            try await client.query("SELECT pg_current_wal_lsn()::text", logger: TestCluster.logger).first(String.self)
        }
        guard let target else { throw TestFailure("no WAL position on the primary") }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let caughtUp = try? await self.query(
                "SELECT (pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '\(target)'::pg_lsn)::text"
            )
            if caughtUp == "true" { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("the standby did not catch up with \(target) in \(timeout)")
    }
}

/// Runs blocking `body` (a child process waited for) on a thread of its own, never on Swift's task
/// threads or Dispatch's global queues (docs/architecture.md, "Blocking work").
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}
