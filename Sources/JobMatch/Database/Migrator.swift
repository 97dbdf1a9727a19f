import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Applies the forward-only migrations `sql/NNNN_name.sql` in order, each in one transaction,
/// under an advisory lock, recording each with its SHA-256 in `schema_migrations`.
public struct Migrator: Sendable {
    /// One migration file.
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
        public var checksum: String { SHA256.hash(data: Data(self.sql.utf8)).map { String(format: "%02x", $0) }.joined() }
    }

    /// The state of one migration, for `migrate --status`.
    public struct Status: Sendable {
        public let version: Int
        public let name: String
        public let appliedAt: String?
    }

    /// A problem that stops migration, with a message for the operator.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Arbitrary constant naming the migration lock.
    static let lockKey: Int64 = 0x6A6F_626D_6174_6368 & 0x7FFF_FFFF_FFFF_FFFF

    public let directory: String
    public let logger: Logger

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// The migration files on disk, ordered by version.
    public func migrations() throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: self.directory)
        } catch {
            throw Failure(description: "No migrations folder at \(self.directory) (set JOBMATCH_SQL_DIR).")
        }
        var seen: [Int: String] = [:]
        var result: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard name.count > 9, let version = Int(name.prefix(4)), name.dropFirst(4).first == "_" else {
                throw Failure(description: "Migration file \(name) is not named NNNN_name.sql.")
            }
            if let other = seen[version] { throw Failure(description: "Migrations \(other) and \(name) share version \(version).") }
            seen[version] = name
            let sql = try String(contentsOfFile: self.directory + "/" + name, encoding: .utf8)
            result.append(Migration(version: version, name: name, sql: sql))
        }
        return result
    }

    /// Applies every pending migration; refuses if an applied file was edited. Returns the names applied.
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [String] {
        let migrations = try self.migrations()
        return try await client.withConnection { connection in
            // Nothing to apply: no lock and no DDL, so a role that may only read the ledger (the
            // service's, when DATABASE_OWNER_URL is not set) starts on a current schema too.
            if try await self.isCurrentWithoutChanges(connection, migrations) { return [] }
            // Another instance may be migrating: wait for it however long it takes, then give the
            // pooled connection its own limits back (RESET returns to the session's start-up values).
            try await connection.query("SET statement_timeout = 0", logger: self.logger)
            try await connection.query("SET lock_timeout = 0", logger: self.logger)
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: self.logger)
            do {
                let done = try await self.applyPending(migrations, on: connection)
                try await self.release(connection)
                return done
            } catch {
                try? await self.release(connection)
                if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "42501" {
                    throw Failure(
                        description:
                            "The schema has migrations to apply and this role may not apply them: set DATABASE_OWNER_URL to the schema's owner (docs/operations.md, Database roles)."
                    )
                }
                throw error
            }
        }
    }

    /// Applies, each in its own transaction, the migrations the ledger does not list (under the lock).
    private func applyPending(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [String] {
        try await self.ensureTable(connection)
        let applied = try await self.applied(connection)
        try self.verify(migrations, applied: applied)
        var done: [String] = []
        for migration in migrations where applied[migration.version] == nil {
            self.logger.info("Applying migration", metadata: ["migration": "\(migration.name)"])
            try await connection.withTransaction(logger: self.logger) { tx in
                try await tx.allowLongWork(.job, logger: self.logger)
                for statement in SQLStatementSplitter.split(migration.sql) {
                    try await tx.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await tx.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                    logger: self.logger
                )
            }
            done.append(migration.name)
        }
        if !done.isEmpty { try await self.reportUnmappedEthnicity(connection) }
        return done
    }

    /// Says how many workers' earlier free-text ethnicity 0031 could not map to one of the 54 groups
    /// (counted only: the values are personal data and stay in `ethnicity_unmapped` for staff).
    private func reportUnmappedEthnicity(_ connection: PostgresConnection) async throws {
        guard try await connection.query("SELECT to_regclass('ethnicity_unmapped') IS NOT NULL", logger: self.logger).first(Bool.self) == true
        else { return }
        let count =
            try await connection.query("SELECT count(*)::int FROM ethnicity_unmapped", logger: self.logger).first(Int.self) ?? 0
        guard count > 0 else { return }
        self.logger.warning(
            "Ethnicity not mapped to the 54 groups; staff should settle it",
            metadata: ["workers": "\(count)", "table": "ethnicity_unmapped"]
        )
    }

    /// Gives the migration lock back, and the pooled connection its own limits.
    private func release(_ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: self.logger)
        try await connection.query("RESET statement_timeout", logger: self.logger)
        try await connection.query("RESET lock_timeout", logger: self.logger)
    }

    /// True when the ledger exists and records every file of `migrations`, unchanged, and no other.
    private func isCurrentWithoutChanges(_ connection: PostgresConnection, _ migrations: [Migration]) async throws -> Bool {
        let ledger = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: self.logger).first(Bool.self)
        guard ledger == true else { return false }
        let applied = try await self.applied(connection)
        return applied.count == migrations.count && migrations.allSatisfy { applied[$0.version]?.checksum == $0.checksum }
    }

    /// Each migration, applied or pending.
    public func status(_ client: PostgresClient) async throws -> [Status] {
        let migrations = try self.migrations()
        return try await client.withConnection { connection in
            try await self.ensureTable(connection)
            let applied = try await self.applied(connection)
            return migrations.map { Status(version: $0.version, name: $0.name, appliedAt: applied[$0.version]?.appliedAt) }
        }
    }

    /// True when every migration on disk is applied unchanged (for `/readyz`).
    public func isCurrent(_ client: PostgresClient) async throws -> Bool {
        try await self.isCurrent(client, expected: try self.migrations())
    }

    /// True when every migration of `expected` (read once, at start) is applied unchanged.
    func isCurrent(_ client: PostgresClient, expected migrations: [Migration]) async throws -> Bool {
        let applied = try await client.withConnection { try await self.applied($0) }
        return !migrations.isEmpty && migrations.allSatisfy { applied[$0.version]?.checksum == $0.checksum }
    }

    private func verify(_ migrations: [Migration], applied: [Int: (checksum: String, appliedAt: String)]) throws {
        for migration in migrations {
            if let record = applied[migration.version], record.checksum != migration.checksum {
                throw Failure(
                    description:
                        "Migration \(migration.name) was edited after it was applied (checksum differs). Migrations are forward-only: restore the file and add a new one."
                )
            }
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.keys.filter({ !known.contains($0) }).min() {
            throw Failure(
                description: "The database has migration \(unknown) applied, which is not in \(self.directory): is this an older version of jobmatch?"
            )
        }
    }

    private func ensureTable(_ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), created_at timestamptz NOT NULL DEFAULT now())
            """,
            logger: self.logger
        )
    }

    private func applied(_ connection: PostgresConnection) async throws -> [Int: (checksum: String, appliedAt: String)] {
        let rows = try await connection.query(
            "SELECT version, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') FROM schema_migrations",
            logger: self.logger
        )
        var result: [Int: (checksum: String, appliedAt: String)] = [:]
        for try await (version, checksum, appliedAt) in rows.decode((Int, String, String).self) {
            result[version] = (checksum, appliedAt)
        }
        return result
    }
}
