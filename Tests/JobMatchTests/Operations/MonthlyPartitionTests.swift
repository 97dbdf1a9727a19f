import Foundation
import PostgresNIO
import Testing

@testable import JobMatch

/// The audit log and the webhook deliveries are partitioned by Vietnam's month
/// (`sql/0030_monthly_partitions.sql`): rows land in their month, the retention rounds make the
/// months ahead, retention drops an expired month whole (and only when a period is set), and the
/// audit trail stays append-only partition by partition.
@Suite("Monthly partitions")
struct MonthlyPartitionTests {
    /// Runs `statements` in order on `db`.
    static func run(_ statements: [String], on db: PostgresClient) async throws {
        for statement in statements { _ = try await db.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger).collect() }
    }

    /// The text column of every row `query` returns, in order.
    static func texts(_ query: String, on db: PostgresClient) async throws -> [String] {
        try await db.query(PostgresQuery(unsafeSQL: query), logger: TestCluster.logger).decode(String.self).collect()
    }

    /// `YYYY_MM` of the month `offset` months from this one, in Vietnam's time.
    static func month(_ offset: Int) -> String {
        "to_char(date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '\(offset) months', 'YYYY_MM')"
    }

    /// The first instant of the month `offset` months from this one, in Vietnam's time.
    static func monthStart(_ offset: Int) -> String {
        "partition_month_start((date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '\(offset) months')::date)"
    }

    /// Inserts a webhook of a new employer (through SQL: only its deliveries matter here); returns its id.
    static func webhook(on db: PostgresClient) async throws -> Int64 {
        try await db.query(
            """
            WITH e AS (
                INSERT INTO employers (name, tax_code, ward_code) SELECT 'Công ty Thử nghiệm', '0100109106', min(ward_code) FROM wards_2025 RETURNING id
            )
            INSERT INTO employer_webhooks (employer_id, url, secret) SELECT id, 'https://example.com/hook', repeat('s', 32) FROM e RETURNING id
            """,
            logger: TestCluster.logger
        ).first(Int64.self) ?? 0
    }

    @Test("a row lands in its own Vietnam month's partition, the last second of a month in that month, and a far-off one in the default")
    func rowsLandInTheirMonth() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            // setup + act: as the service's role, through the parent tables
            let hook = try await Self.webhook(on: db)
            try await Self.run(
                [
                    """
                    INSERT INTO audit_log (actor_kind, action, entity, entity_id, created_at)
                    VALUES ('system', 'test', 'worker', 'end of this month', \(Self.monthStart(1)) - interval '1 second'),
                           ('system', 'test', 'worker', 'start of next month', \(Self.monthStart(1))),
                           ('system', 'test', 'worker', 'ten years on', now() + interval '10 years')
                    """,
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at)
                    VALUES (\(hook), 'referral.created', '{"x": "next month"}', \(Self.monthStart(1)) + interval '1 day')
                    """,
                ],
                on: db
            )
            // verify: where each row is, read as the owner (the service may not name a partition)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
                let audit = try await Self.texts(
                    """
                    SELECT entity_id || ' ' || (tableoid::regclass)::text || ' ' || (tableoid::regclass::text IN
                        ('partitions.audit_log_' || \(Self.month(0)), 'partitions.audit_log_' || \(Self.month(1)), 'partitions.audit_log_default'))
                    FROM audit_log WHERE action = 'test' ORDER BY created_at
                    """,
                    on: owner
                )
                let this = try #require(try await Self.texts("SELECT \(Self.month(0))", on: owner).first)
                let next = try #require(try await Self.texts("SELECT \(Self.month(1))", on: owner).first)
                #expect(
                    audit == [
                        "end of this month partitions.audit_log_\(this) true", "start of next month partitions.audit_log_\(next) true",
                        "ten years on partitions.audit_log_default true",
                    ]
                )
                let deliveries = try await Self.texts("SELECT (tableoid::regclass)::text FROM webhook_deliveries", on: owner)
                #expect(deliveries == ["partitions.webhook_deliveries_\(next)"])
            }
        }
    }

    @Test("a retention round makes next month's partitions when they are missing, and none twice")
    func nextMonthMadeAhead() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        let owner = TestCluster.ownerURL(of: url)
        // setup: next month's partitions gone (the migration made them)
        try await TestCluster.withClient(try DatabaseURL.configuration(from: owner)) { db in
            let next = try #require(try await Self.texts("SELECT \(Self.month(1))", on: db).first)
            try await Self.run(["DROP TABLE partitions.audit_log_\(next)", "DROP TABLE partitions.webhook_deliveries_\(next)"], on: db)
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            // act: as the service's role
            let service = RetentionService(client: db, logger: TestCluster.logger, config: RetentionConfig())
            let made = try await service.makePartitionsAhead()
            let again = try await service.makePartitionsAhead()
            // verify
            #expect(made == 2)
            #expect(again == 0)
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: owner)) { db in
            let next = try await Self.texts(
                """
                SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE c.relname IN ('audit_log_' || \(Self.month(1)), 'webhook_deliveries_' || \(Self.month(1))) ORDER BY 1
                """,
                on: db
            )
            #expect(next.count == 2 && next[0].hasPrefix("audit_log_") && next[1].hasPrefix("webhook_deliveries_"))
            // The new audit month is append-only like the others.
            let refused = try await sqlState {
                try await Self.run(["TRUNCATE partitions.\(next[0])"], on: db)
            }
            #expect(refused == "42501")
        }
    }

    @Test(
        "retention keeps the audit log by default, drops whole months past AUDIT_RETENTION_YEARS (audited), and never a month with a pending delivery"
    )
    func expiredMonthDropped() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        // setup: months 6 and 4 years ago (audit) and 7 and 6 months ago (deliveries), made by the owner
        try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { db in
            try await Self.run(
                [
                    "SELECT partition_create_month('audit_log', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '6 years')::date)",
                    "SELECT partition_create_month('audit_log', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '4 years')::date)",
                    "SELECT partition_create_month('webhook_deliveries', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '7 months')::date)",
                    "SELECT partition_create_month('webhook_deliveries', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '6 months')::date)",
                ],
                on: db
            )
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            let hook = try await Self.webhook(on: db)
            try await Self.run(
                [
                    """
                    INSERT INTO audit_log (actor_kind, action, entity, entity_id, created_at)
                    VALUES ('system', 'test', 'worker', 'six years', now() - interval '6 years'),
                           ('system', 'test', 'worker', 'six years too', now() - interval '6 years'),
                           ('system', 'test', 'worker', 'four years', now() - interval '4 years')
                    """,
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, delivered_at, gave_up_at)
                    VALUES (\(hook), 'referral.created', '{"x": "delivered"}', now() - interval '7 months', now() - interval '7 months', NULL),
                           (\(hook), 'referral.created', '{"x": "pending"}', now() - interval '6 months', NULL, NULL)
                    """,
                ],
                on: db
            )
            // act 1: the defaults keep both for ever
            let kept = try await RetentionService(client: db, logger: TestCluster.logger, config: RetentionConfig()).runOnce()
            #expect(kept.auditEntries == 0 && kept.webhookDeliveries == 0)
            #expect(try await Self.texts("SELECT entity_id FROM audit_log WHERE action = 'test' ORDER BY entity_id", on: db).count == 3)

            // act 2: 5 years of audit, 90 days of deliveries, as the service's role
            var config = RetentionConfig()
            config.auditYears = 5
            config.webhookDeliveryDays = 90
            let report = try await RetentionService(client: db, logger: TestCluster.logger, config: config).runOnce()

            // verify: the six-year month went whole, the four-year one stayed; the delivered month
            // went, the month with a pending delivery stayed; each drop is in the audit log
            #expect(report.auditEntries == 2 && report.webhookDeliveries == 1)
            #expect(try await Self.texts("SELECT entity_id FROM audit_log WHERE action = 'test'", on: db) == ["four years"])
            #expect(try await Self.texts("SELECT payload->>'x' FROM webhook_deliveries", on: db) == ["pending"])
            let audited = try await Self.texts(
                "SELECT entity || ' ' || (before->>'rows') FROM audit_log WHERE action = 'drop_partition' ORDER BY entity",
                on: db
            )
            #expect(audited == ["audit_log 2", "webhook_deliveries 1"])
            // The floors hold whoever calls: no audit month younger than five years.
            let refused = try await sqlState {
                try await Self.run(["SELECT * FROM partitions_drop_before('audit_log', now() - interval '4 years')"], on: db)
            }
            #expect(refused == "42501")
            #expect(try await Self.texts("SELECT entity_id FROM audit_log WHERE action = 'test'", on: db) == ["four years"])
        }
    }

    @Test("a partition of the audit log refuses UPDATE, DELETE and TRUNCATE even from the owner, and the service's role cannot name one")
    func partitionsAppendOnly() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            // setup: an entry this month and one in the default partition
            try await Self.run(
                [
                    """
                    INSERT INTO audit_log (actor_kind, action, entity, entity_id, created_at)
                    VALUES ('system', 'test', 'worker', '1', now()), ('system', 'test', 'worker', '2', now() + interval '10 years')
                    """
                ],
                on: db
            )
            // act + verify: the service's role has no right on the partitions' schema
            let this = try #require(try await Self.texts("SELECT \(Self.month(0))", on: db).first)
            for statement in ["SELECT count(*) FROM partitions.audit_log_\(this)", "DELETE FROM partitions.audit_log_default"] {
                let refused = try await sqlState { try await Self.run([statement], on: db) }
                #expect(refused == "42501", "\(statement)")
            }
        }
        try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { db in
            let this = try #require(try await Self.texts("SELECT \(Self.month(0))", on: db).first)
            for partition in ["partitions.audit_log_\(this)", "partitions.audit_log_default"] {
                for statement in ["UPDATE \(partition) SET action = 'changed'", "DELETE FROM \(partition)", "TRUNCATE \(partition)"] {
                    // act: insufficient_privilege, from the append-only triggers
                    let refused = try await sqlState { try await Self.run([statement], on: db) }
                    // verify
                    #expect(refused == "42501", "\(statement)")
                }
            }
            #expect(try await Self.texts("SELECT entity_id FROM audit_log WHERE action = 'test' ORDER BY entity_id", on: db) == ["1", "2"])
        }
    }

    @Test("migration 0030 keeps every audit entry of an existing database in its month, and ids go on from the last")
    func migrationKeepsRows() async throws {
        // setup: a database migrated up to 0029 with entries over three years
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TestCluster.sqlDirectory) where name.hasSuffix(".sql") && name < "0030" {
            try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
        }
        let database = try await TestCluster.emptyDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { db in
            try await Migrator(directory: directory, logger: TestCluster.logger).migrate(db)
            try await Self.run(
                [
                    """
                    INSERT INTO audit_log (actor_kind, action, entity, entity_id, created_at)
                    SELECT 'system', 'test', 'worker', g::text, now() - g * interval '10 days' FROM generate_series(1, 120) g
                    """
                ],
                on: db
            )
            let before = try await Self.texts(
                "SELECT string_agg(id || ':' || entity_id || ':' || created_at, ',' ORDER BY id) FROM audit_log",
                on: db
            )
            // act
            let applied = try await Migrator(directory: TestCluster.sqlDirectory, logger: TestCluster.logger).migrate(db)
            // verify
            #expect(applied.first?.hasPrefix("0030") == true && applied.allSatisfy { $0 >= "0030" }, "\(applied)")
            let after = try await Self.texts("SELECT string_agg(id || ':' || entity_id || ':' || created_at, ',' ORDER BY id) FROM audit_log", on: db)
            #expect(after == before)
            let misplaced = try await Self.texts(
                """
                SELECT entity_id FROM audit_log
                WHERE tableoid::regclass::text <> 'partitions.audit_log_' || to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY_MM')
                """,
                on: db
            )
            #expect(misplaced.isEmpty, "\(misplaced)")
            let next = try await Self.texts(
                "INSERT INTO audit_log (actor_kind, action, entity) VALUES ('system', 'test', 'new') RETURNING (id > 120)::text",
                on: db
            )
            #expect(next == ["true"])
        }
    }
}
