import Foundation
import PostgresNIO
import Testing

@testable import JobMatch

/// The service logs in as `jobmatch_service` (`sql/0025_service_role.sql`): it does its work, and
/// cannot change the audit trail, switch off a trigger or create a table.
@Suite("Least privilege: the service's database role")
struct LeastPrivilegeTests {
    /// What PostgreSQL answered to `statement`: nil when it ran, else its SQLSTATE and message.
    static func refusal(_ statement: String, on client: PostgresClient) async -> (state: String, message: String)? {
        do {
            _ = try await client.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger).collect()
            return nil
        } catch let error as PSQLError {
            return (error.serverInfo?[.sqlState] ?? "?", error.serverInfo?[.message] ?? "\(error)")
        } catch {
            return ("?", "\(error)")
        }
    }

    @Test("the service under test logs in as a role that is no superuser, may not create roles or databases, and owns nothing")
    func serviceRoleOwnsNothing() async throws {
        try await withTestApp { client, tokens, url in
            // act: ordinary work through the API
            let created = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker())
            #expect(created.status == .created)
            // verify
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let role = try await db.query(
                    """
                    SELECT current_user::text, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
                           (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid)
                    FROM pg_roles r WHERE rolname = current_user
                    """,
                    logger: TestCluster.logger
                ).decode((String, Bool, Bool, Bool, Bool, Int).self).collect().first
                #expect(role?.0 == EmbeddedPostgres.serviceRole)
                #expect(role.map { !$0.1 && !$0.2 && !$0.3 && !$0.4 } == true)
                #expect(role?.5 == 0)
                let workers = try await db.query("SELECT count(*)::int FROM workers", logger: TestCluster.logger).first(Int.self)
                #expect(workers == 1)
            }
        }
    }

    @Test("as the service's role the audit log takes rows and is read, but UPDATE, DELETE and TRUNCATE are refused by privilege")
    func auditLogAppendOnly() async throws {
        // setup
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            // act + verify: the ordinary work
            #expect(await Self.refusal("INSERT INTO audit_log (actor_kind, action, entity) VALUES ('system', 'test', 'nothing')", on: db) == nil)
            let written = try await db.query("SELECT count(*)::int FROM audit_log WHERE action = 'test'", logger: TestCluster.logger).first(Int.self)
            #expect(written == 1)
            // refused by the grants, before the append-only trigger of 0006 is reached
            for statement in ["UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let refusal = await Self.refusal(statement, on: db)
                #expect(refusal?.state == "42501", "\(statement)")
                #expect(refusal?.message.contains("permission denied") == true, "\(statement): \(refusal?.message ?? "ran")")
            }
            let kept = try await db.query("SELECT count(*)::int FROM audit_log WHERE action = 'test'", logger: TestCluster.logger).first(Int.self)
            #expect(kept == 1)
        }
    }

    @Test("as the service's role no trigger can be switched off, no table created, altered or dropped, and no role made")
    func noSchemaChanges() async throws {
        // setup
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            for statement in [
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only", "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                "ALTER TABLE export_files DISABLE TRIGGER export_files_unchanged", "CREATE TABLE stolen (id int)",
                "ALTER TABLE workers ADD COLUMN note text", "DROP TABLE export_downloads", "TRUNCATE workers CASCADE",
                "CREATE ROLE intruder LOGIN SUPERUSER", "SET session_replication_role = replica",
            ] {
                // act
                let refusal = await Self.refusal(statement, on: db)
                // verify
                #expect(refusal?.state == "42501", "\(statement): \(refusal.map { "\($0.state) \($0.message)" } ?? "ran")")
            }
            // A temporary table (the imports and exports stage rows in them) is still allowed.
            #expect(await Self.refusal("CREATE TEMP TABLE scratch (id int)", on: db) == nil)
        }
    }

    @Test("grants cover every table and sequence of every migration, and the audit log's are only INSERT and SELECT")
    func grantsCoverEveryTable() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            let ungranted = try await db.query(
                """
                SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S')
                  AND NOT CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'USAGE') ELSE has_table_privilege(c.oid, 'SELECT') END
                ORDER BY 1
                """,
                logger: TestCluster.logger
            ).decode(String.self).collect()
            #expect(ungranted.isEmpty, "\(ungranted)")
            let audit = try await db.query(
                """
                SELECT has_table_privilege('audit_log', 'INSERT'), has_table_privilege('audit_log', 'SELECT'),
                       has_table_privilege('audit_log', 'UPDATE'), has_table_privilege('audit_log', 'DELETE'),
                       has_table_privilege('audit_log', 'TRUNCATE')
                """,
                logger: TestCluster.logger
            ).decode((Bool, Bool, Bool, Bool, Bool).self).collect().first
            #expect(audit.map { $0.0 && $0.1 && !$0.2 && !$0.3 && !$0.4 } == true)
        }
    }

    @Test("without DATABASE_OWNER_URL the service's role starts on a current schema, and is told to set it when migrations are pending")
    func migrationsNeedTheOwner() async throws {
        let migrator = Migrator(directory: TestCluster.sqlDirectory, logger: TestCluster.logger)
        // setup: a migrated and loaded database, and an empty one, both as the service's role
        let current = try await TestCluster.url(try await TestCluster.freshDatabase())
        let empty = try await TestCluster.url(try await TestCluster.emptyDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: current)) { db in
            // act + verify: nothing to apply, nothing to load, no lock or DDL needed
            let applied = try await migrator.migrate(db)
            #expect(applied.isEmpty)
            try await ReferenceDataLoader(sqlDirectory: TestCluster.sqlDirectory, logger: TestCluster.logger).load(db)
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: empty)) { db in
            await #expect {
                try await migrator.migrate(db)
            } throws: { error in
                "\(error)".contains("DATABASE_OWNER_URL")
            }
        }
    }

    @Test("a table and a sequence a later migration adds (as the owner) get the service's DML through the default privileges, and nothing more")
    func laterTablesCovered() async throws {
        // setup: a later migration, run as the owner
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
            _ = try await owner.query(
                "CREATE TABLE later_feature (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)",
                logger: TestCluster.logger
            ).collect()
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            // act + verify
            #expect(await Self.refusal("INSERT INTO later_feature (note) VALUES ('a')", on: db) == nil)
            #expect(await Self.refusal("UPDATE later_feature SET note = 'b'", on: db) == nil)
            #expect(await Self.refusal("DELETE FROM later_feature", on: db) == nil)
            #expect(await Self.refusal("TRUNCATE later_feature", on: db)?.state == "42501")
            #expect(await Self.refusal("ALTER TABLE later_feature ADD COLUMN more text", on: db)?.state == "42501")
        }
    }
}
