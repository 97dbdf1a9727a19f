import Foundation
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Migrations")
struct MigratorTests {
    /// A private copy of the migrations, so a test may edit one.
    func copyOfMigrations() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: TestCluster.sqlDirectory) where name.hasSuffix(".sql") {
            try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
        }
        return directory
    }

    @Test("applies every file once, records checksums, and lists status")
    func appliesInOrder() async throws {
        // setup
        let database = try await TestCluster.emptyDatabase()
        let migrator = Migrator(directory: TestCluster.sqlDirectory, logger: TestCluster.logger)
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            // act
            let before = try await migrator.status(client)
            let first = try await migrator.migrate(client)
            let second = try await migrator.migrate(client)
            let after = try await migrator.status(client)
            // verify
            #expect(before.allSatisfy { $0.appliedAt == nil })
            #expect(first == (try migrator.migrations()).map(\.name))
            #expect(second.isEmpty)
            #expect(after.allSatisfy { $0.appliedAt != nil })
            #expect(try await migrator.isCurrent(client))
        }
    }

    @Test("an applied migration that was edited is refused with a clear message")
    func editedFileRefused() async throws {
        // setup
        let directory = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestCluster.emptyDatabase()
        let migrator = Migrator(directory: directory, logger: TestCluster.logger)
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            try await migrator.migrate(client)
            let path = directory + "/0002_access.sql"
            try (try String(contentsOfFile: path, encoding: .utf8) + "\n-- edited\n").write(toFile: path, atomically: true, encoding: .utf8)
            // act + verify
            await #expect {
                try await migrator.migrate(client)
            } throws: { error in
                "\(error)".contains("0002_access.sql was edited after it was applied")
            }
            #expect(try await migrator.isCurrent(client) == false)
        }
    }

    @Test("a failing migration leaves nothing behind and is not recorded")
    func failingMigrationRollsBack() async throws {
        // setup
        let directory = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n".write(
            toFile: directory + "/0999_broken.sql",
            atomically: true,
            encoding: .utf8
        )
        let database = try await TestCluster.emptyDatabase()
        let migrator = Migrator(directory: directory, logger: TestCluster.logger)
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            // act
            // The broken file's own refusal (undefined function), from inside its transaction.
            do {
                _ = try await migrator.migrate(client)
                Issue.record("a migration calling a missing function was applied")
            } catch let error as PostgresTransactionError {
                #expect((error.closureError as? PSQLError)?.serverInfo?[.sqlState] == "42883")
            }
            // verify
            let tables = try await client.query("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half_done'").first(Int.self)
            #expect(tables == 0)
            let status = try await migrator.status(client)
            #expect(status.last?.name == "0999_broken.sql" && status.last?.appliedAt == nil)
            #expect(status.dropLast().allSatisfy { $0.appliedAt != nil })
        }
    }

    @Test("reference data is complete, and a 2025 code never means its legacy namesake")
    func referenceData() async throws {
        let database = try await TestCluster.freshDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            let counts = try await client.query(
                """
                SELECT (SELECT count(*) FROM legacy_wards)::int, (SELECT count(*) FROM wards_2025)::int,
                       (SELECT count(*) FROM ward_crosswalk)::int, (SELECT count(*) FROM occupations)::int,
                       (SELECT count(*) FROM legacy_wards WHERE province_code = '93')::int,
                       (SELECT ward_name FROM legacy_wards WHERE ward_code = '31321'),
                       (SELECT ward_name FROM wards_2025 WHERE ward_code = '31321'),
                       (SELECT title_vi FROM occupations WHERE code = '9'),
                       (SELECT count(*) FROM legacy_districts WHERE province_code = '93')::int
                """
            ).decode((Int, Int, Int, Int, Int, String, String, String, Int).self).first(where: { _ in true })!
            #expect(counts.0 == 10035)  // 10,040 rows less five island districts that have no wards
            #expect(counts.1 == 3321)
            #expect(counts.2 == 10597)
            #expect(counts.3 == 619)
            #expect(counts.4 == 75)
            #expect(counts.5 == "Phường III")
            #expect(counts.6 == "Phường Vị Thanh")
            #expect(counts.7 == "Lao động giản đơn")
            #expect(counts.8 == 8)  // Hau Giang's districts 930-937
            // Every occupation has its Vietnamese title, in NFC.
            let titles = try await client.query(
                """
                SELECT count(*) FILTER (WHERE title_vi IS NOT NULL AND title_vi IS NFC NORMALIZED)::int,
                       (SELECT title_vi FROM occupations WHERE code = '7531'), (SELECT count(*) FROM reference_data_loads)::int
                FROM occupations
                """
            ).decode((Int, String, Int).self).first(where: { _ in true })!
            #expect(titles.0 == 619)
            #expect(titles.1.hasPrefix("Thợ may"))
            #expect(titles.2 == 5)
            // A database made before the titles file existed gets it at its next start, and only it.
            try await client.query("DELETE FROM reference_data_loads WHERE name = 'occupation_titles_vi.csv'")
            try await client.query("UPDATE occupations SET title_vi = NULL")
            try await ReferenceDataLoader(sqlDirectory: TestCluster.sqlDirectory, logger: TestCluster.logger).load(client)
            let reloaded = try await client.query("SELECT count(title_vi)::int, count(*)::int FROM occupations").decode((Int, Int).self)
                .first(where: { _ in true })!
            #expect(reloaded == (619, 619))
            // The stored single district and province of each 2025 ward agree with the crosswalk,
            // and a ward formed from wards of two provinces has none.
            let units = try await client.query(
                """
                WITH g AS (
                    SELECT c.ward_code, array_agg(DISTINCT lw.district_code) AS districts, array_agg(DISTINCT lw.province_code) AS provinces
                    FROM ward_crosswalk c JOIN legacy_wards lw ON lw.ward_code = c.legacy_ward_code GROUP BY c.ward_code)
                SELECT (SELECT count(*) FROM ward_legacy_units)::int,
                       (SELECT count(*) FROM g JOIN ward_legacy_units u USING (ward_code)
                        WHERE u.district_code IS NOT DISTINCT FROM (CASE WHEN cardinality(g.districts) = 1 THEN g.districts[1] END)
                          AND u.province_code IS NOT DISTINCT FROM (CASE WHEN cardinality(g.provinces) = 1 THEN g.provinces[1] END))::int,
                       (SELECT count(*) FROM g)::int,
                       (SELECT count(*) FROM ward_legacy_units WHERE province_code IS NULL)::int
                """
            ).decode((Int, Int, Int, Int).self).first(where: { _ in true })!
            #expect(units.0 == units.2 && units.1 == units.2 && units.2 > 3000)
            #expect(units.3 > 0)
        }
    }
}
