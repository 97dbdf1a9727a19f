import ArgumentParser
import JobMatch
import Logging
import PostgresNIO

/// Options every database command shares: where the embedded cluster lives.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Data directory of the embedded PostgreSQL (env JOBMATCH_HOME, default ./.jobmatch). Ignored when DATABASE_URL is set."
    )
    var home: String?

    @Option(name: .long, help: "Folder with the migrations and reference data (env JOBMATCH_SQL_DIR).")
    var sqlDir: String?

    /// The configuration from the environment, overridden by these flags.
    func config() async throws -> AppConfig {
        var config = try await AppConfig.fromEnvironment()
        if let home { config.home = home }
        if let sqlDir { config.sqlDirectory = sqlDir }
        return config
    }

    /// Runs `body` with a client on a migrated database (the embedded cluster is started if it
    /// is not running, and stopped again afterwards if this command started it).
    func withMigratedClient<T: Sendable>(_ body: @Sendable (PostgresClient, Logger) async throws -> T) async throws -> T {
        let config = try await self.config()
        let logger = commandLogger()
        return try await Database.withClients(config, logger: logger) { owner, client in
            try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(owner)
            return try await body(client, logger)
        }
    }
}

/// The CLI's logger: warnings and errors only on stderr, so command output stays clean.
func commandLogger(_ level: Logger.Level = .warning) -> Logger {
    var logger = Logger(label: "jobmatch")
    logger.logLevel = level
    return logger
}

/// Runs `body`, turning failures into one line on stderr and exit code 1.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandleStderr.write("jobmatch: \(describe(error))\n")
        throw ExitCode.failure
    }
}
