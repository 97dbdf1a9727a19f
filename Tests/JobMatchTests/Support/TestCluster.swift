import Foundation
import Logging
import PostgresNIO
import Synchronization

@testable import JobMatch

#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL cluster per test process, in a temporary directory, with a template database
/// migrated and loaded once; each test gets its own database copied from the template.
enum TestCluster {
    /// The checkout, found from this file's path.
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The checkout's `sql/` folder.
    static let sqlDirectory: String = repositoryRoot + "/sql"

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// The running cluster; started on first use.
    static let shared = Task<EmbeddedPostgres, any Error> {
        // PostgreSQL's server binaries, installed on first use when missing (as root).
        try await SystemPackages.ensure(check: "command -v initdb || ls /usr/lib/postgresql/*/bin/initdb", packages: ["postgresql"])
        removeClustersOfDeadRuns()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("jobmatch-test-\(getpid())").path
        try? FileManager.default.removeItem(atPath: home)
        // The parallel suite holds over 900 connections at its peak (every test app's pools, the
        // concurrency tests' clients); past the limit the gates' probes cannot connect and close
        // their gates (503s in unrelated tests, seen on a slow run): room to spare.
        let cluster = try EmbeddedPostgres(
            home: home,
            settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "3000"],
            logger: logger
        )
        _ = try cluster.start()
        try await cluster.createServiceRole()
        clusterToStop.withLock { $0 = cluster }
        atexit {
            if let cluster = TestCluster.clusterToStop.withLock({ $0 }) {
                cluster.stop()
                try? FileManager.default.removeItem(atPath: cluster.home)
            }
        }
        try await cluster.createDatabase("jobmatch_template")
        // Migrated and loaded as the schema's owner, as `serve` does.
        try await withClient(cluster.clientConfiguration(database: "jobmatch_template", username: EmbeddedPostgres.superuser)) { client in
            try await Migrator(directory: sqlDirectory, logger: logger).migrate(client)
            try await ReferenceDataLoader(sqlDirectory: sqlDirectory, logger: logger).load(client)
        }
        return cluster
    }

    static let clusterToStop = Mutex<EmbeddedPostgres?>(nil)

    /// A test process that crashed could not stop its cluster: stop and remove those left behind.
    static func removeClustersOfDeadRuns() {
        let temporary = FileManager.default.temporaryDirectory.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix("jobmatch-test-") {
            guard let pid = Int32(name.dropFirst("jobmatch-test-".count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
            let home = temporary + "/" + name
            if let stale = try? EmbeddedPostgres(home: home, logger: logger) {
                _ = try? stale.runner.run(stale.binaries.pgCtl, ["stop", "-D", stale.dataDirectory, "-m", "immediate"], in: home)
            }
            try? FileManager.default.removeItem(atPath: home)
        }
    }
    static let counter = Atomic<Int>(0)

    /// A new, empty-but-migrated database; returns its name.
    static func freshDatabase() async throws -> String {
        let cluster = try await shared.value
        let name = "t_\(counter.add(1, ordering: .relaxed).newValue)"
        try await createFromTemplate(name, cluster: cluster)
        return name
    }

    /// A database with no schema at all (for migration tests).
    static func emptyDatabase() async throws -> String {
        let cluster = try await shared.value
        let name = "e_\(counter.add(1, ordering: .relaxed).newValue)"
        try await cluster.createDatabase(name)
        return name
    }

    /// The `DATABASE_URL` of a database in the test cluster (over its Unix socket), as the
    /// service's own role: every test's service runs under least privilege.
    static func url(_ database: String) async throws -> String {
        let cluster = try await shared.value
        return "postgres://\(EmbeddedPostgres.serviceRole)@localhost/\(database)?host=\(cluster.socketDirectory)"
    }

    /// The `DATABASE_OWNER_URL` of a database in the test cluster: the schema's owner (the cluster's
    /// superuser), for migrations and for test set-up that needs more than the service may do.
    static func ownerURL(_ database: String) async throws -> String {
        let cluster = try await shared.value
        return "postgres://\(EmbeddedPostgres.superuser)@localhost/\(database)?host=\(cluster.socketDirectory)"
    }

    /// The owner's URL for the database of a service `url` made by `url(_:)`.
    static func ownerURL(of url: String) -> String {
        url.replacingOccurrences(of: "postgres://\(EmbeddedPostgres.serviceRole)@", with: "postgres://\(EmbeddedPostgres.superuser)@")
    }

    /// Runs `body` with a running client on `configuration`.
    static func withClient<T: Sendable>(_ configuration: PostgresClient.Configuration, _ body: (PostgresClient) async throws -> T) async throws -> T {
        // The pool warns when a lease races run(); harmless here.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static func createFromTemplate(_ name: String, cluster: EmbeddedPostgres) async throws {
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: cluster.socketPath,
            username: EmbeddedPostgres.superuser,
            password: nil,
            database: "postgres"
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        // The template may still have a closing connection from its set-up: retry (a loaded machine
        // can take seconds to close it).
        for attempt in 1...300 {
            do {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE jobmatch_template"), logger: logger)
                return
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < 300 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
