import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Ethnicity: one of the 54 groups, never free text")
struct EthnicGroupTests {
    @Test("the list has 54 groups, distinct in code, name and folded name, Kinh the only majority")
    func list() {
        #expect(EthnicGroup.all.count == 54)
        #expect(Set(EthnicGroup.all.map(\.code)) == Set(1...54))
        #expect(Set(EthnicGroup.all.map(\.name)).count == 54)
        #expect(Set(EthnicGroup.all.map { EthnicGroup.key($0.name) }).count == 54)
        #expect(EthnicGroup.all.allSatisfy { $0.name == $0.name.precomposedStringWithCanonicalMapping })
        #expect(EthnicGroup.all.filter { !$0.isMinority }.map(\.name) == ["Kinh"])
        #expect(EthnicGroup.all[4].codeText == "05" && EthnicGroup.all[53].codeText == "54")
    }

    @Test("a name is found however it is typed, by code, official name or a common other name")
    func resolve() {
        for typed in ["Kinh", "kinh", " KINH ", "Kinh (Việt)", "Việt", "01", "1"] {
            #expect(EthnicGroup.resolve(typed)?.code == 1, "\(typed)")
            #expect(!MatchingRules.isEthnicMinority(typed), "\(typed) is not a minority")
        }
        for typed in ["Khmer", "khơ me", "Khơ-me", "KHƠ-ME", "05", "5"] { #expect(EthnicGroup.resolve(typed)?.name == "Khơ-me", "\(typed)") }
        for typed in ["H'Mông", "Hmông", "hmong", "Mông", "Mèo"] { #expect(EthnicGroup.resolve(typed)?.code == 8, "\(typed)") }
        // Decomposed input (NFD) meets the precomposed name.
        #expect(EthnicGroup.resolve("Ê-đê".decomposedStringWithCanonicalMapping)?.code == 11)
        #expect(EthnicGroup.resolve("Mạ")?.code == 28 && EthnicGroup.resolve("Mảng")?.code == 46 && EthnicGroup.resolve("Mnông")?.code == 20)
        for unknown in ["Người sao Hỏa", "0", "55", "100", "-", "Kinh Kinh"] { #expect(EthnicGroup.resolve(unknown) == nil, "\(unknown)") }
        #expect(MatchingRules.isEthnicMinority("Tày") && MatchingRules.isEthnicMinority("khmer"))
        #expect(!MatchingRules.isEthnicMinority(nil) && !MatchingRules.isEthnicMinority(" "))
        #expect(throws: FieldError.self) { try EthnicGroup.validate("Người sao Hỏa") }
        #expect((try? EthnicGroup.validate("")) == .some(nil))
    }

    @Test("the database's table is the same list, and a stored ethnicity must be one of its names")
    func table() async throws {
        let database = try await TestCluster.freshDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            let rows = try await client.query("SELECT code::int, name, minority FROM ethnic_groups ORDER BY code", logger: TestCluster.logger)
                .decode((Int, String, Bool).self).collect()
            #expect(rows.map(\.0) == EthnicGroup.all.map(\.code))
            #expect(rows.map(\.1) == EthnicGroup.all.map(\.name))
            #expect(rows.map(\.2) == EthnicGroup.all.map(\.isMinority))
            do {
                try await client.query(
                    """
                    INSERT INTO workers (full_name, birth_date, sex, ward_code, ethnicity)
                    SELECT 'Lê Văn A', DATE '1990-01-01', 'male', min(ward_code), 'Khmer' FROM wards_2025
                    """,
                    logger: TestCluster.logger
                )
                Issue.record("free text was stored as an ethnicity")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "23503")
            }
        }
    }

    @Test("registering a worker: a common name is stored as the official one, free text is refused at the field")
    func api() async throws {
        try await withTestApp { client, tokens, url async throws in
            var body = Sample.worker()
            body["ethnicity"] = "khmer"
            let id = try await client.created("/api/staff/workers", token: tokens.officer, body)
            let stored = try await client.registry(.get, "/api/staff/workers/\(id)", token: tokens.officer, as: RegistryAnswer.Worker.self)
            #expect(try stored.value().ethnicity == "Khơ-me")
            let before = try await rowCount("workers", url: url)
            var bad = Sample.worker(cccd: "093190654321")
            bad["ethnicity"] = "Người sao Hỏa"
            let refused = try await client.registry(.post, "/api/staff/workers", token: tokens.officer, bad, as: RegistryAnswer.Problem.self)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.value().field == "ethnicity")
            #expect(try await rowCount("workers", url: url) == before)
        }
    }

    @Test("the migration maps stored free text to the groups and keeps what it cannot map for staff")
    func migration() async throws {
        // A copy of the migrations before 0031, applied, then the rest over stored free text.
        let all = try FileManager.default.contentsOfDirectory(atPath: TestCluster.sqlDirectory).filter { $0.hasSuffix(".sql") }.sorted()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in all where name < "0031" {
            try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
        }
        let database = try await TestCluster.emptyDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            try await Migrator(directory: directory, logger: TestCluster.logger).migrate(client)
            try await client.query(
                "INSERT INTO wards_2025 (ward_code, ward_name, ward_type, province_code, province_name) VALUES ('31321', 'Vị Thanh', 'Phường', '92', 'Cần Thơ')",
                logger: TestCluster.logger
            )
            let typed = ["Kinh", " kinh ", "Khmer", "KHƠ ME", "H'Mông", "Hoa (Hán)", "05", "Người sao Hỏa", ""]
            for (index, value) in typed.enumerated() {
                try await client.query(
                    "INSERT INTO workers (full_name, birth_date, sex, ward_code, ethnicity) VALUES (\("Người \(index)"), DATE '1990-01-01', 'male', '31321', \(value))",
                    logger: TestCluster.logger
                )
            }
            for name in all where name >= "0031" {
                try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
            }
            let applied = try await Migrator(directory: directory, logger: TestCluster.logger).migrate(client)
            #expect(applied.first == "0031_ethnic_groups.sql")
            let stored = try await client.query("SELECT coalesce(ethnicity, '-') FROM workers ORDER BY id", logger: TestCluster.logger)
                .decode(String.self).collect()
            #expect(stored == ["Kinh", "Kinh", "Khơ-me", "Khơ-me", "Mông", "Hoa", "Khơ-me", "-", "-"])
            let unmapped = try await client.query("SELECT value FROM ethnicity_unmapped", logger: TestCluster.logger).decode(String.self).collect()
            #expect(unmapped == ["Người sao Hỏa"])
            // once staff record a group for that worker, the kept text goes
            try await client.query(
                "UPDATE workers SET ethnicity = 'Kinh' WHERE id = (SELECT worker_id FROM ethnicity_unmapped)",
                logger: TestCluster.logger
            )
            #expect(try await client.query("SELECT count(*)::int FROM ethnicity_unmapped", logger: TestCluster.logger).first(Int.self) == 0)
        }
    }
}

@Suite("The trained share says what it measures")
struct TrainedRateLabelTests {
    @Test("progress names the registered workers, not the province's labour force, as the trained share's base")
    func label() async throws {
        try await withTestApp { client, tokens, _ async throws in
            let progress = try await client.registry(.get, "/api/staff/progress", token: tokens.viewer, as: RegistryAnswer.Progress.self).value()
            #expect(progress.trainedRate.measures == "registered_workers")
            #expect(progress.trainedRate.label.contains("đăng ký tại Trung tâm"))
            #expect(progress.trainedRate.label.contains("không phải lực lượng lao động toàn tỉnh"))
        }
    }
}

@Suite("Progress by disability and ethnic minority")
struct ProgressBreakdownTests {
    @Test("counted people are split by disability and by ethnic minority, Kinh and not recorded")
    func breakdowns() async throws {
        try await withTestApp { client, tokens, url in
            let kinh = try await insertWorker("Lê Văn Kinh", url: url)
            let khmer = try await insertWorker("Thạch Thị Sa", sex: "female", url: url)
            let unknown = try await insertWorker("Trần Văn Chưa", url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("UPDATE workers SET ethnicity = 'Kinh' WHERE id = \(kinh)", logger: TestCluster.logger)
                try await db.query(
                    "UPDATE workers SET ethnicity = 'Khơ-me', disability_type = 'visual', disability_severity = 'mild' WHERE id = \(khmer)",
                    logger: TestCluster.logger
                )
            }
            for worker in [kinh, khmer, unknown] { _ = try await insertPlacement(worker: worker, start: "2026-03-02", url: url) }
            let (targets, _) = try await client.progress(tokens)
            let jobs = targets["jobs_2026_2030"]
            #expect(groups(jobs, \.byDisability) == ["with_disability": 1, "without_disability": 2])
            #expect(groups(jobs, \.byEthnicMinority) == ["ethnic_minority": 1, "kinh": 1, "not_recorded": 1])
        }
    }
}
