import Foundation
import PostgresNIO
import Testing

@testable import JobMatch

/// `RetentionService` deletes personal data past its limit, and only that: each kind of row is
/// set just past its limit and just inside it, and the run is made as the service's own role.
@Suite("Retention")
struct RetentionTests {
    /// Runs `statements` in order on `db`.
    static func run(_ statements: [String], on db: PostgresClient) async throws {
        for statement in statements { _ = try await db.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger).collect() }
    }

    /// The sorted labels still found by `query` (a query returning one text column).
    static func labels(_ query: String, on db: PostgresClient) async throws -> [String] {
        try await db.query(PostgresQuery(unsafeSQL: query), logger: TestCluster.logger).decode(String.self).collect().sorted()
    }

    @Test("the service runs on its own: a first round after its delay, then again every interval, until cancelled")
    func runsOnItsOwn() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                /// An idempotency key that expired a minute ago.
                func expiredKey(_ key: String) async throws {
                    try await Self.run(
                        [
                            """
                            INSERT INTO idempotency_keys (employer_id, key, method, path, request_hash, status, headers, body, created_at, expires_at)
                            VALUES (\(employer.id), '\(key)', 'POST', '/api/v1/vacancies', sha256('\(key)'), 201, '{}', 'Lê Văn Cường',
                                    now() - interval '2 days', now() - interval '1 minute')
                            """
                        ],
                        on: db
                    )
                }
                /// Waits (at most a minute) for the retention service's delete of `key`; throws if it never comes.
                func deleted(_ key: String) async throws -> Bool {
                    try await TableChanges.wait(
                        url: url,
                        table: "idempotency_keys",
                        until: "SELECT NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE key = '\(key)')",
                        within: .seconds(60)
                    )
                    return try await Self.labels("SELECT key FROM idempotency_keys WHERE key = '\(key)'", on: db).isEmpty
                }
                var config = RetentionConfig()
                config.firstDelay = .zero
                config.interval = .milliseconds(200)
                // setup: one expired key before the service starts; act: start it
                try await expiredKey("first")
                let service = Task { try await RetentionService(client: db, logger: TestCluster.logger, config: config).run() }
                // verify: the first round deletes it, a later round the one added after
                #expect(try await deleted("first"))
                try await expiredKey("second")
                #expect(try await deleted("second"))
                service.cancel()
                try await service.value
            }
        }
    }

    @Test("expired idempotency keys, sign-ins and sessions past 90 days, error files past 30 days and export files past 5 years go; the rest stays")
    func justPastGoesJustInsideStays() async throws {
        try await withTestApp { client, tokens, url in
            // setup: each kind of row just past its limit ("old") and just inside it ("new")
            let employer = try await TestEmployer.make(client, tokens)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let staff = "(SELECT id FROM staff_users WHERE username = 'officer')"
                try await Self.run(
                    [
                        """
                        INSERT INTO idempotency_keys (employer_id, key, method, path, request_hash, status, headers, body, created_at, expires_at)
                        VALUES (\(employer.id), 'old', 'POST', '/api/v1/vacancies', sha256('old'), 201, '{}', 'Nguyễn Văn An 0912345678',
                                now() - interval '2 days', now() - interval '1 minute'),
                               (\(employer.id), 'new', 'POST', '/api/v1/vacancies', sha256('new'), 201, '{}', 'Trần Thị Bình',
                                now() - interval '2 days', now() + interval '1 minute')
                        """,
                        """
                        INSERT INTO sign_in_attempts (username, client_address, succeeded, attempted_at)
                        VALUES ('old', '10.0.0.1', false, now() - interval '90 days 1 minute'), ('new', '10.0.0.1', false, now() - interval '89 days 23 hours')
                        """,
                        """
                        INSERT INTO staff_sessions (secret_hash, staff_user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, ended_reason)
                        VALUES (sha256('old-ended'), \(staff), repeat('a', 32), now() - interval '100 days', now() - interval '100 days',
                                now() - interval '99 days', now() - interval '90 days 1 minute', 'signed_out'),
                               (sha256('new-ended'), \(staff), repeat('b', 32), now() - interval '100 days', now() - interval '100 days',
                                now() - interval '99 days', now() - interval '89 days 23 hours', 'signed_out'),
                               (sha256('old-expired'), \(staff), repeat('c', 32), now() - interval '100 days', now() - interval '100 days',
                                now() - interval '90 days 1 minute', NULL, NULL),
                               (sha256('new-open'), \(staff), repeat('d', 32), now(), now(), now() + interval '1 hour', NULL, NULL)
                        """,
                        """
                        INSERT INTO import_runs (file_name, partial, total_rows, imported, unchanged, rolled_back, error_file, created_by, created_at)
                        VALUES ('old', true, 1, 0, 0, false, 'Họ tên,Lỗi', \(staff), now() - interval '30 days 1 minute'),
                               ('new', true, 1, 0, 0, false, 'Họ tên,Lỗi', \(staff), now() - interval '29 days 23 hours')
                        """,
                        """
                        INSERT INTO export_files (kind, month, format, as_of, scheduled, sha256, size_bytes, content, created_at)
                        VALUES ('placements_month', '2021-01', 'csv', '2021-01-31', true, repeat('a', 64), 3, 'old', now() - interval '5 years 1 minute'),
                               ('placements_month', '2021-02', 'csv', '2021-02-28', true, repeat('b', 64), 3, 'new', now() - interval '5 years' + interval '1 hour')
                        """,
                        "INSERT INTO export_downloads (file_id, staff_id) SELECT id, \(staff) FROM export_files",
                    ],
                    on: db
                )

                // act: as the service's own role, with the defaults
                let report = try await RetentionService(client: db, logger: TestCluster.logger, config: RetentionConfig()).runOnce()

                // verify
                #expect(report == RetentionReport(idempotencyKeys: 1, signInAttempts: 1, sessions: 2, importErrorFiles: 1, exportFiles: 1))
                #expect(try await Self.labels("SELECT key FROM idempotency_keys", on: db) == ["new"])
                #expect(try await Self.labels("SELECT username FROM sign_in_attempts WHERE username IN ('old', 'new')", on: db) == ["new"])
                #expect(
                    try await Self.labels("SELECT csrf_token FROM staff_sessions WHERE csrf_token ~ '^[a-d]+$'", on: db)
                        == [String(repeating: "b", count: 32), String(repeating: "d", count: 32)]
                )
                #expect(try await Self.labels("SELECT file_name FROM import_runs WHERE error_file IS NOT NULL", on: db) == ["new"])
                #expect(try await Self.labels("SELECT file_name FROM import_runs", on: db) == ["new", "old"])  // the report stays
                #expect(try await Self.labels("SELECT month FROM export_files", on: db) == ["2021-02"])
                #expect(
                    try await Self.labels("SELECT f.month FROM export_downloads d JOIN export_files f ON f.id = d.file_id", on: db) == ["2021-02"]
                )
                let audited = try await Self.labels(
                    "SELECT actor_kind || ' ' || action || ' ' || (before->>'month') FROM audit_log WHERE entity = 'export_file'",
                    on: db
                )
                #expect(audited == ["system delete 2021-01"])

                // A second run finds nothing more.
                let again = try await RetentionService(client: db, logger: TestCluster.logger, config: RetentionConfig()).runOnce()
                #expect(again == RetentionReport())
            }
        }
    }

    @Test("EXPORT_RETENTION_YEARS shortens the export files' period, and no file younger than a year can be deleted at all")
    func configurableExportPeriod() async throws {
        try await withTestApp { _, _, url in
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                // setup
                try await Self.run(
                    [
                        """
                        INSERT INTO export_files (kind, month, format, as_of, scheduled, sha256, size_bytes, content, created_at)
                        VALUES ('placements_month', '2023-01', 'xlsx', '2023-01-31', true, repeat('a', 64), 3, 'old', now() - interval '2 years 1 minute'),
                               ('placements_month', '2024-01', 'xlsx', '2024-01-31', true, repeat('b', 64), 3, 'new', now() - interval '2 years' + interval '1 hour'),
                               ('placements_month', '2025-06', 'xlsx', '2025-06-30', true, repeat('c', 64), 3, 'yng', now() - interval '11 months')
                        """
                    ],
                    on: db
                )
                var config = RetentionConfig()
                config.exportYears = 2
                // act
                let report = try await RetentionService(client: db, logger: TestCluster.logger, config: config).runOnce()
                // verify
                #expect(report.exportFiles == 1)
                #expect(try await Self.labels("SELECT month FROM export_files", on: db) == ["2024-01", "2025-06"])
                await #expect(throws: PSQLError.self) {
                    try await db.query("DELETE FROM export_files WHERE month = '2025-06'", logger: TestCluster.logger)
                }
                await #expect(throws: PSQLError.self) {
                    try await db.query("UPDATE export_files SET content = 'x', size_bytes = 1 WHERE month = '2024-01'", logger: TestCluster.logger)
                }
            }
        }
    }

    @Test("an import's error file older than 30 days is neither offered nor served, even before the retention run empties it")
    func oldErrorFileNotServed() async throws {
        try await withTestApp { client, _, url in
            // setup: two runs with error files, one just past 30 days
            try await setWebPassword("officer", SignInTests.password, url: url)
            let ids = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    """
                    INSERT INTO import_runs (file_name, partial, total_rows, imported, unchanged, rolled_back, error_file, created_by, created_at)
                    SELECT name, true, 1, 0, 0, false, convert_to('Họ và tên,Lỗi', 'UTF8'), s.id, now() - age
                    FROM staff_users s, (VALUES ('old.csv', interval '30 days 1 minute', 1), ('new.csv', interval '29 days 23 hours', 2)) v(name, age, n)
                    WHERE s.username = 'officer' ORDER BY n RETURNING id
                    """,
                    logger: TestCluster.logger
                ).decode(Int64.self).collect()
            }
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            // act
            let old = try await browser.get("/imports/\(ids[0])/errors.csv")
            let new = try await browser.get("/imports/\(ids[1])/errors.csv")
            let oldReport = try await browser.get("/imports/\(ids[0])")
            let newReport = try await browser.get("/imports/\(ids[1])")
            // verify
            #expect(old.status == .notFound)
            #expect(new.status == .ok && new.html.contains("Lỗi"))
            #expect(!oldReport.html.contains("errors.csv") && newReport.html.contains("errors.csv"))
        }
    }
}
