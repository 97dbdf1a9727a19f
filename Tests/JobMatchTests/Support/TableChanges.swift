import Foundation
import PostgresNIO

@testable import JobMatch

/// Waits for a state of the test database that a background service writes, without polling: a
/// trigger made in that database alone (as its owner) notifies on every write to `table`, and the
/// condition is asked once at the start and again after each notification.
enum TableChanges {
    static let channel = "jobmatch_test_table_changed"

    /// Returns once `condition` (SQL answering one boolean) holds; `TestFailure` after `timeout`.
    static func wait(url: String, table: String, until condition: String, within timeout: Duration = .seconds(30)) async throws {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
            for statement in [
                """
                CREATE OR REPLACE FUNCTION jobmatch_test_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('\(Self.channel)', TG_TABLE_NAME); RETURN NULL; END $$
                """,
                "DROP TRIGGER IF EXISTS jobmatch_test_changed ON \(table)",
                "CREATE TRIGGER jobmatch_test_changed AFTER INSERT OR UPDATE OR DELETE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION jobmatch_test_notify_change()",
            ] {
                try await owner.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger)
            }
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await within(timeout, "\(table): \(condition)") {
                try await client.withConnection { connection in
                    // Listening first, so that a write between the first look and the wait is heard.
                    try await connection.listen(on: Self.channel) { notifications in
                        if try await Self.holds(condition, on: connection) { return }
                        for try await _ in notifications {
                            if try await Self.holds(condition, on: connection) { return }
                        }
                        throw TestFailure("the notifications of \(table) stopped")
                    }
                }
            }
        }
    }

    private static func holds(_ condition: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(PostgresQuery(unsafeSQL: condition), logger: TestCluster.logger).decode(Bool.self).first { _ in true } ?? false
    }
}
