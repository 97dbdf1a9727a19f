import Foundation
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster that jobmatch creates and runs itself under a home directory:
/// `pgdata/` (the cluster), `run/` (its Unix socket; no TCP port is opened) and `log/`.
/// When we run as root, initdb and postgres run as an unprivileged account (Debian's `postgres`).
struct EmbeddedPostgres: Sendable {
    /// A problem a user can act on, in one line.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let home: String
    let binaries: PostgresBinaries
    /// Extra `postgres -c` settings (the test cluster turns durability off).
    let settings: [String: String]
    let runner: CommandRunner
    let logger: Logger
    /// The superuser initdb creates: it owns the schema and runs the migrations.
    static let superuser = "jobmatch"
    /// The role the service logs in as: no superuser, owns nothing (`sql/0025_service_role.sql`).
    static let serviceRole = "jobmatch_service"

    var dataDirectory: String { self.home + "/pgdata" }
    var logFile: String { self.home + "/log/postgresql.log" }

    /// The socket directory: inside home unless that path is too long for a Unix socket.
    var socketDirectory: String {
        let inside = self.home + "/run"
        if inside.utf8.count + 20 < 100 { return inside }
        let digest = self.home.utf8.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return "/tmp/jobmatch-\(String(digest, radix: 36).prefix(10))"
    }
    var socketPath: String { self.socketDirectory + "/.s.PGSQL.5432" }

    init(home: String, settings: [String: String] = [:], logger: Logger) throws {
        self.home = URL(fileURLWithPath: home).standardizedFileURL.path
        self.binaries = try PostgresBinaries.locate()
        self.settings = settings
        self.logger = logger
        if geteuid() == 0 {
            let account = ProcessInfo.processInfo.environment["JOBMATCH_PG_ACCOUNT"] ?? "postgres"
            guard getpwnam(account) != nil else {
                throw Failure(
                    description:
                        "Running as root: PostgreSQL refuses root, and the account '\(account)' to run it as does not exist (install Debian's postgresql package, or set JOBMATCH_PG_ACCOUNT, or DATABASE_URL)."
                )
            }
            self.runner = CommandRunner(account: account)
        } else {
            self.runner = CommandRunner(account: nil)
        }
    }

    /// `log_error_verbosity = terse` in the cluster's `postgresql.conf` (added once): no DETAIL lines in
    /// the server log, which quote a refused row's values (a CCCD, a phone). A setting in the file, not
    /// on the command line, so that `ALTER SYSTEM` can still raise it for a while (the benchmarks read
    /// statement parameters from the log).
    func keepRowValuesOutOfTheLog() throws {
        let path = self.dataDirectory + "/postgresql.conf"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.contains("\nlog_error_verbosity = terse") else { return }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n# jobmatch: no row values (CCCD, phone) in the server log\nlog_error_verbosity = terse\n".utf8))
    }

    /// Creates the cluster if needed and starts it unless it already runs.
    /// Returns true when this call started it (so the caller owns stopping it).
    func start() throws -> Bool {
        try self.prepareDirectories()
        if !FileManager.default.fileExists(atPath: self.dataDirectory + "/PG_VERSION") {
            self.logger.info("Creating the embedded PostgreSQL cluster", metadata: ["directory": "\(self.dataDirectory)"])
            let outcome = try self.runner.run(
                self.binaries.initdb,
                ["-D", self.dataDirectory, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                in: self.home
            )
            guard outcome.status == 0 else {
                throw Failure(description: "initdb failed: \(Self.lastLine(outcome.output))")
            }
        }
        try self.keepRowValuesOutOfTheLog()
        if try self.isRunning() { return false }
        var options = "-c listen_addresses= -k \(self.socketDirectory) -c unix_socket_permissions=0700"
        for (key, value) in self.settings.sorted(by: { $0.key < $1.key }) { options += " -c \(key)=\(value)" }
        let outcome = try self.runner.run(
            self.binaries.pgCtl,
            ["start", "-D", self.dataDirectory, "-l", self.logFile, "-w", "-t", "60", "-o", options],
            in: self.home
        )
        guard outcome.status == 0 else {
            throw Failure(description: "PostgreSQL did not start (see \(self.logFile)): \(Self.lastLine(outcome.output))")
        }
        self.logger.info("Embedded PostgreSQL started", metadata: ["socket": "\(self.socketDirectory)"])
        return true
    }

    /// Stops the cluster (fast shutdown: open transactions roll back, data is kept).
    func stop() {
        do {
            let outcome = try self.runner.run(self.binaries.pgCtl, ["stop", "-D", self.dataDirectory, "-m", "fast", "-w", "-t", "60"], in: self.home)
            if outcome.status == 0 {
                self.logger.info("Embedded PostgreSQL stopped")
            } else {
                self.logger.warning("pg_ctl stop failed", metadata: ["output": "\(Self.lastLine(outcome.output))"])
            }
        } catch {
            self.logger.warning("pg_ctl stop could not run", metadata: ["error": "\(error)"])
        }
    }

    /// Whether a postmaster serves this data directory now.
    func isRunning() throws -> Bool {
        try self.runner.run(self.binaries.pgCtl, ["status", "-D", self.dataDirectory], in: self.home).status == 0
    }

    /// Creates the database the service uses if it does not exist yet.
    func createDatabase(_ name: String) async throws {
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: self.socketPath,
            username: Self.superuser,
            password: nil,
            database: "postgres"
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: self.logger)
        do {
            let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: self.logger)
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: self.logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates the service's login role if it is missing (cluster-wide; its grants come from the
    /// migrations). No password: the cluster listens only on its own socket, with trust.
    func createServiceRole() async throws {
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: self.socketPath,
            username: Self.superuser,
            password: nil,
            database: "postgres"
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: self.logger)
        do {
            let rows = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(Self.serviceRole)", logger: self.logger)
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE ROLE \(Self.serviceRole) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"),
                    logger: self.logger
                )
            }
            try await connection.close()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42710" || error.serverInfo?[.sqlState] == "23505" {
            // Another process created it at the same moment.
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The client configuration for a database of this cluster, as `username` (the service's role
    /// unless the owner is asked for).
    func clientConfiguration(database: String, username: String = EmbeddedPostgres.serviceRole) -> PostgresClient.Configuration {
        .init(unixSocketPath: self.socketPath, username: username, password: nil, database: database)
    }

    /// Creates home, and the cluster's own directories owned by the account that runs PostgreSQL.
    private func prepareDirectories() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: self.home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for directory in [self.dataDirectory, self.socketDirectory, self.home + "/log"] {
            if !fm.fileExists(atPath: directory) {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            if let account = self.runner.account, let entry = getpwnam(account) {
                guard chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
                    throw Failure(description: "Cannot hand \(directory) to the account '\(account)'.")
                }
            }
        }
        if let account = self.runner.account {
            let probe = try self.runner.run("/usr/bin/test", ["-w", self.dataDirectory], in: "/")
            guard probe.status == 0 else {
                throw Failure(
                    description:
                        "The account '\(account)' that runs PostgreSQL cannot reach \(self.dataDirectory): choose --home in a directory it can reach (for example /var/lib/jobmatch)."
                )
            }
        }
    }

    private static func lastLine(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? "no output"
    }
}
