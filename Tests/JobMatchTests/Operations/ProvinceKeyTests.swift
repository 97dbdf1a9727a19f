import Foundation
import PostgresNIO
import Testing

@testable import JobMatch

/// Every table that holds a person's data carries the province in its keys
/// (`sql/0042_province_keys.sql`, issue 23 §4): the rules Citus sets for tables distributed by a
/// column hold for the whole schema, rows registered through the API carry the registry's province
/// without the API naming it, and a row cannot point into another province.
@Suite("Province in every person table's key")
struct ProvinceKeyTests {
    /// Where the schema breaks a rule of distribution by `province_code`, one line per breach:
    /// a person table without the column, a key, unique index or exclusion constraint without it,
    /// a foreign key between person tables that does not match it on both sides, or another table
    /// (a reference table in the national design) pointing at a person table.
    static let breaches = """
        WITH t AS (SELECT unnest(person_tables())::regclass AS rel),
        col AS (SELECT rel, (SELECT attnum FROM pg_attribute
                             WHERE attrelid = rel AND attname = 'province_code' AND attnotnull) AS n FROM t)
        SELECT 'no province_code on ' || rel::text FROM col WHERE n IS NULL
        UNION ALL
        SELECT 'key without province: ' || conname FROM pg_constraint k JOIN col ON col.rel = k.conrelid
        WHERE contype IN ('p', 'u', 'x') AND NOT col.n = ANY (conkey)
        UNION ALL
        SELECT 'unique index without province: ' || i.indexrelid::regclass::text
        FROM pg_index i JOIN col ON col.rel = i.indrelid
        WHERE indisunique AND NOT col.n = ANY (i.indkey::int2[])
        UNION ALL
        SELECT 'foreign key without province: ' || conname FROM pg_constraint k JOIN col ON col.rel = k.conrelid
        WHERE contype = 'f' AND confrelid IN (SELECT rel FROM t)
          AND (array_position(conkey, col.n) IS NULL
               OR confkey[array_position(conkey, col.n)] IS DISTINCT FROM
                  (SELECT attnum FROM pg_attribute WHERE attrelid = confrelid AND attname = 'province_code'))
        UNION ALL
        SELECT 'outside table points at a person table: ' || conname FROM pg_constraint
        WHERE contype = 'f' AND conparentid = 0 AND confrelid IN (SELECT rel FROM t) AND conrelid NOT IN (SELECT rel FROM t)
        UNION ALL
        SELECT 'person column outside person_tables(): ' || c.relname || '.' || a.attname
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT a.attisdropped
          AND a.attname IN ('worker_id', 'household_id', 'referral_id', 'placement_id', 'enrolment_id')
          AND NOT c.relname = ANY (person_tables())
        ORDER BY 1
        """

    /// The text column of every row `query` returns.
    static func texts(_ query: String, on db: PostgresClient) async throws -> [String] {
        try await db.query(PostgresQuery(unsafeSQL: query), logger: TestCluster.logger).decode(String.self).collect()
    }

    @Test("the schema meets distribution by province, and the check sees a table that does not")
    func schemaMeetsDistributionRules() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await Self.revealing {
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
                // verify: the migrated schema, 27 person tables, no breach
                let tables = try await Self.texts("SELECT unnest(person_tables())", on: owner)
                #expect(tables.count == 28)
                #expect(tables.contains("workers") && tables.contains("placements") && tables.contains("audit_log"))
                #expect(try await Self.texts(Self.breaches, on: owner) == [])

                // verify the check itself: another table pointing at workers, a unique index and a foreign key
                // without the province are each reported (in a transaction rolled back)
                let seen = try await owner.withConnection { connection in
                    _ = try await connection.query("BEGIN", logger: TestCluster.logger)
                    for statement in [
                        """
                        CREATE TABLE probe_notes (id bigint PRIMARY KEY, worker_id bigint, province_code text,
                            CONSTRAINT probe_notes_worker FOREIGN KEY (worker_id, province_code) REFERENCES workers (id, province_code))
                        """,
                        "CREATE UNIQUE INDEX workers_probe ON workers (id)",
                        "ALTER TABLE worker_skills ADD CONSTRAINT worker_skills_probe FOREIGN KEY (worker_id) REFERENCES workers (id)",
                    ] {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger)
                    }
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.breaches), logger: TestCluster.logger).decode(String.self)
                        .collect()
                    _ = try await connection.query("ROLLBACK", logger: TestCluster.logger)
                    return rows
                }
                #expect(
                    seen == [
                        "foreign key without province: worker_skills_probe",
                        "outside table points at a person table: probe_notes_worker",
                        "person column outside person_tables(): probe_notes.worker_id",
                        "unique index without province: workers_probe",
                    ]
                )

                // act + verify: before anyone is registered, the registry's province may still be set,
                // and every person table's default follows it
                _ = try await owner.query("UPDATE registry_province SET province_code = '01'", logger: TestCluster.logger).collect()
                let defaults = try await Self.texts(
                    """
                    SELECT DISTINCT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
                    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                    WHERE a.attname = 'province_code' AND d.adrelid IN (SELECT unnest(person_tables())::regclass)
                    """,
                    on: owner
                )
                #expect(defaults == ["'01'::text"])
                let household = try await Self.texts(
                    "INSERT INTO households (head_name, ward_code) VALUES ('Lê Văn Tám', '31321') RETURNING province_code",
                    on: owner
                )
                #expect(household == ["01"])
            }
        }
    }

    /// The SQLSTATE `statement` is refused with on `db`, or nil when it runs.
    static func refusal(_ statement: String, on db: PostgresClient) async throws -> String? {
        try await sqlState { _ = try await db.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger).collect() }
    }

    /// Runs `body`, turning a database error into a failure that shows the database's own words.
    static func revealing(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as PSQLError { throw TestFailure(String(reflecting: error)) }
    }

    @Test("rows registered through the API carry the registry's province, and a row cannot point into another province")
    func rowsCarryTheProvince() async throws {
        try await withTestApp { client, tokens, url in
            // setup: a household and a member with trades and consent, through the API that never names a province
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household())
            let worker = try await client.created(
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(household: Int64(household)).consenting()
            )
            try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
                // verify: every row of this person carries 92, the 2025 Cần Thơ of the default HOME_PROVINCE 93
                let provinces = try await Self.texts(
                    """
                    SELECT DISTINCT province_code FROM (
                        SELECT province_code FROM households WHERE id = \(household)
                        UNION ALL SELECT province_code FROM household_statuses WHERE household_id = \(household)
                        UNION ALL SELECT province_code FROM workers WHERE id = \(worker)
                        UNION ALL SELECT province_code FROM worker_occupations WHERE worker_id = \(worker)
                        UNION ALL SELECT province_code FROM worker_consents WHERE worker_id = \(worker)
                        UNION ALL SELECT province_code FROM audit_log WHERE entity = 'worker' AND entity_id = '\(worker)'
                    ) p
                    """,
                    on: owner
                )
                #expect(provinces == ["92"])
                #expect(try await Self.texts("SELECT count(*)::text FROM worker_consents WHERE worker_id = \(worker)", on: owner) == ["1"])

                // act + verify: the registry's province is fixed once people are registered
                let change = try await Self.refusal("UPDATE registry_province SET province_code = '01'", on: owner)
                #expect(change == "23514")
                #expect(try await Self.texts("SELECT registry_province()", on: owner) == ["92"])
            }
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { service in
                // act + verify: the service's role may not change the province, and a trade of this
                // worker written for another province points at no worker there
                let byService = try await Self.refusal("UPDATE registry_province SET province_code = '92'", on: service)
                #expect(byService == "42501")
                let elsewhere = try await Self.refusal(
                    "INSERT INTO worker_occupations (worker_id, occupation_code, province_code) VALUES (\(worker), '7411', '01')",
                    on: service
                )
                #expect(elsewhere == "23503")
                let inProvince = try await Self.refusal(
                    "INSERT INTO worker_occupations (worker_id, occupation_code) VALUES (\(worker), '7411')",
                    on: service
                )
                #expect(inProvince == nil)
            }
        }
    }
}
