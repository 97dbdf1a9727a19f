import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// A placement's contract type (issue 20): checked at the edge with the field named, guarded again
/// by the table's constraints, copied by a reversal, counted in the progress breakdown, carried by
/// the export, and set for existing entries by the migration.
@Suite("Placement contract type")
struct ContractTypeTests {
    typealias Entry = PlacementService.Entry

    @Test("each type is recorded through the API; bad input is refused at its field and writes nothing; a reversal copies it")
    func recordThroughAPI() async throws {
        try await withTestApp { client, tokens, url in
            let people = People(client: client, tokens: tokens)
            let worker = try await people.worker("Phạm Thị Hợp Đồng", sex: "female")
            let base: [String: Any] = [
                "worker_id": worker, "channel": "job_fair", "start_date": "2026-10-01", "evidence": "Phiếu đăng ký phiên giao dịch việc làm",
            ]
            func with(_ changes: [String: Any]) -> [String: Any] {
                var body = base
                for (key, value) in changes { body[key] = value }
                return body
            }
            let refused: [(String, [String: Any])] = [
                ("contract_type", [:]),
                ("contract_type", ["contract_type": "permanent"]),
                ("contract_type", ["contract_type": "self_employment"]),
                ("contract_type", ["channel": "self_employment", "contract_type": "indefinite"]),
                ("contract_end_date", ["contract_type": "fixed_term"]),
                ("contract_end_date", ["contract_type": "fixed_term", "contract_end_date": "2026-10-01"]),
                ("contract_end_date", ["contract_type": "fixed_term", "contract_end_date": "2026-09-30"]),
                ("contract_end_date", ["contract_type": "fixed_term", "contract_end_date": "2029-10-02"]),
                ("contract_end_date", ["contract_type": "fixed_term", "contract_end_date": "2027-02-30"]),
                ("contract_end_date", ["contract_type": "indefinite", "contract_end_date": "2027-10-01"]),
                ("contract_end_date", ["contract_type": "seasonal", "contract_end_date": "2026-12-31"]),
            ]
            for (field, changes) in refused {
                let response = try await client.answer(
                    Entry.self,
                    .post,
                    "/api/staff/placements",
                    token: tokens.officer,
                    with(changes),
                    snakeCase: true
                )
                #expect(response.status == .unprocessableContent, "\(changes)")
                #expect(response.problem?.field == field, "\(changes)")
            }
            #expect(try await rowCount("placements", url: url) == 0)

            // One of each; the self-employment channel's contract may be left out.
            let accepted: [([String: Any], String, String, String?)] = [
                (["contract_type": "indefinite"], "indefinite", "Không xác định thời hạn", nil),
                (
                    ["channel": "independent", "contract_type": "fixed_term", "contract_end_date": "2029-10-01"], "fixed_term", "Xác định thời hạn",
                    "2029-10-01"
                ),
                (["channel": "job_creation_loan", "contract_type": "seasonal"], "seasonal", "Thời vụ", nil),
                (["channel": "self_employment"], "self_employment", "Tự tạo việc làm", nil),
                (["channel": "job_creation_loan", "contract_type": "self_employment"], "self_employment", "Tự tạo việc làm", nil),
            ]
            var ids: [Int64] = []
            for (changes, type, name, end) in accepted {
                let created = try await client.answer(
                    Entry.self,
                    .post,
                    "/api/staff/placements",
                    token: tokens.officer,
                    with(changes),
                    snakeCase: true
                )
                #expect(created.status == .created, "\(changes) \(String(describing: created.problem))")
                let entry = try created.get()
                #expect(entry.contractType == type && entry.contractTypeName == name && entry.contractEndDate == end, "\(changes)")
                ids.append(entry.id)
            }
            #expect(try await rowCount("placements WHERE contract_end_date IS NOT NULL", url: url) == 1)
            #expect(try await rowCount("audit_log WHERE entity = 'placement' AND after->>'contract_type' = 'fixed_term'", url: url) == 1)

            let reversal = try await client.answer(
                Entry.self,
                .post,
                "/api/staff/placements/\(ids[1])/reverse",
                token: tokens.officer,
                ["reason": "Ghi nhầm ngày"],
                snakeCase: true
            ).get()
            #expect(reversal.reversesId == ids[1] && reversal.contractType == "fixed_term" && reversal.contractEndDate == "2029-10-01")
        }
    }

    @Test("a hire by staff may record its contract, checked the same way; left out, the hire's contract is not recorded")
    func hire() async throws {
        try await withTestApp { client, tokens, url in
            let (_, _, vacancy) = try await People.withVacancy(client, tokens)
            let first = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190123456")
            let second = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190123457")
            let path = "/api/staff/referrals/\(first.referral)/hire"
            for (field, body) in [
                ("contract_type", ["contract_type": "self_employment"]),
                ("contract_type", ["contract_type": "permanent"]),
                ("contract_type", ["contract_end_date": "2027-11-30"]),
                ("contract_end_date", ["contract_type": "fixed_term"]),
                ("contract_end_date", ["contract_type": "indefinite", "contract_end_date": "2027-11-30"]),
            ] as [(String, [String: Any])] {
                let refused = try await client.answer(
                    ReferralView.self,
                    .post,
                    path,
                    token: tokens.officer,
                    body.merging(["start_date": "2026-12-01"]) { $1 },
                    snakeCase: true
                )
                #expect(refused.status == .unprocessableContent && refused.problem?.field == field, "\(body)")
            }
            #expect(try await rowCount("placements", url: url) == 0)
            let hired = try await client.answer(
                ReferralView.self,
                .post,
                path,
                token: tokens.officer,
                ["start_date": "2026-12-01", "contract_type": "fixed_term", "contract_end_date": "2027-11-30"],
                snakeCase: true
            )
            #expect(hired.status == .ok)
            #expect(
                try await rowCount(
                    "placements WHERE referral_id = \(first.referral) AND contract_type = 'fixed_term' AND contract_end_date = DATE '2027-11-30'",
                    url: url
                ) == 1
            )
            let plain = try await client.json(
                .post,
                "/api/staff/referrals/\(second.referral)/hire",
                token: tokens.officer,
                ["start_date": "2026-12-01"]
            )
            #expect(plain.status == .ok)
            #expect(try await rowCount("placements WHERE referral_id = \(second.referral) AND contract_type IS NULL", url: url) == 1)
        }
    }

    @Test("the web form offers the four types in Vietnamese, names the field at fault, and the month's list shows the contract")
    func webForm() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let workerID = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let form = try await browser.get("/placements/new?worker_id=\(workerID)")
            for label in ["Loại hợp đồng", "Không xác định thời hạn", "Xác định thời hạn", "Thời vụ", "Tự tạo việc làm", "Ngày kết thúc hợp đồng"] {
                #expect(form.html.contains(label), "\(label)")
            }
            let token = try #require(form.csrf)
            let start = LocalDate.today()
            let fields = [
                ("_csrf", token), ("worker_id", "\(workerID)"), ("channel", "job_fair"), ("start_date", start.vietnamese),
                ("evidence", "Phiếu đăng ký phiên giao dịch việc làm"), ("contract_type", "fixed_term"),
            ]
            let missing = try await browser.post("/placements/new", fields)
            #expect(missing.status == .unprocessableContent && missing.html.contains("f-contract_end_date-error\" role=\"alert\">Hợp đồng"))
            #expect(try await rowCount("placements", url: url) == 0)
            let end = LocalDate(year: start.year + 1, month: start.month, day: min(start.day, 28))!
            let made = try await browser.post("/placements/new", fields + [("contract_end_date", end.vietnamese)])
            #expect(made.status == .seeOther, "\(made.html)")
            let month = try await browser.get(try #require(made.location))
            #expect(month.html.contains("Xác định thời hạn (đến \(end.vietnamese))"))
            let record = try await browser.get("/workers/\(workerID)")
            #expect(record.html.contains("Loại hợp đồng") && record.html.contains("Xác định thời hạn (đến \(end.vietnamese))"))
        }
    }

    @Test("the table refuses a contract the edge would refuse, even written by hand")
    func constraints() async throws {
        try await withTestApp { _, _, url in
            let worker = try await insertWorker("Đỗ Văn Ràng Buộc", url: url)
            func insert(_ channel: String, _ type: String?, _ end: String?) -> String {
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, contract_type, contract_end_date)
                VALUES (\(worker), '\(channel)', DATE '2026-10-01', 'Biên bản', \(type.map { "'\($0)'" } ?? "NULL"), \(end.map { "DATE '\($0)'" } ?? "NULL"))
                """
            }
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                for (channel, type, end) in [
                    ("job_fair", "permanent", nil),
                    ("job_fair", "fixed_term", nil),
                    ("job_fair", "fixed_term", "2026-10-01"),
                    ("job_fair", "indefinite", "2027-10-01"),
                    ("job_fair", nil, "2027-10-01"),
                    ("job_fair", "self_employment", nil),
                    ("self_employment", "seasonal", nil),
                ] as [(String, String?, String?)] {
                    // check_violation
                    let state = try await sqlState { try await db.query(PostgresQuery(unsafeSQL: insert(channel, type, end))) }
                    #expect(state == "23514", "\(channel) \(type ?? "NULL") \(end ?? "NULL")")
                }
                // Not recorded stays possible (hires and departures, and entries from before).
                for (channel, type, end) in [
                    ("job_fair", nil, nil), ("independent", "self_employment", nil), ("job_fair", "fixed_term", "2027-09-30"),
                ]
                    as [(String, String?, String?)]
                {
                    #expect(try await sqlState { try await db.query(PostgresQuery(unsafeSQL: insert(channel, type, end))) } == nil)
                }
            }
            #expect(try await rowCount("placements", url: url) == 3)
        }
    }

    @Test("progress splits the counted people by contract type, entries without one as not recorded")
    func progressBreakdown() async throws {
        try await withTestApp { client, tokens, url in
            var workers: [Int] = []
            for name in ["Một", "Hai", "Ba", "Bốn", "Năm"] { workers.append(try await insertWorker("Nguyễn Văn \(name)", url: url)) }
            _ = try await insertPlacement(worker: workers[0], start: "2026-03-01", url: url)
            try await execute(
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, contract_type, contract_end_date) VALUES
                    (\(workers[1]), 'job_fair', DATE '2026-04-01', 'Biên bản', 'fixed_term', DATE '2027-03-31'),
                    (\(workers[2]), 'job_fair', DATE '2026-04-02', 'Biên bản', 'fixed_term', DATE '2026-10-01'),
                    (\(workers[3]), 'self_employment', DATE '2026-05-01', 'Biên bản', 'self_employment', NULL),
                    (\(workers[4]), 'independent', DATE '2026-06-01', 'Biên bản', 'indefinite', NULL),
                    -- a second job of a person already counted this year counts nothing, whatever its contract
                    (\(workers[4]), 'job_fair', DATE '2026-07-01', 'Biên bản', 'seasonal', NULL);
                """,
                url: url
            )
            let target = try await client.progress(tokens).targets["jobs_2026_2030"]
            #expect(target?.count == 5)
            #expect(groups(target, \.byContractType) == ["not_recorded": 1, "fixed_term": 2, "self_employment": 1, "indefinite": 1])
        }
    }

    @Test("the export carries the contract type and a fixed term's end date in its last two columns, in both formats")
    func exportColumns() async throws {
        try await withTestApp { _, _, url in
            let before = try await insertWorker("Lê Thị Trước", url: url)
            let fixed = try await insertWorker("Lê Văn Hạn", url: url)
            _ = try await insertPlacement(worker: before, start: "2026-11-02", recorded: "2026-11-02 09:00+07", url: url)
            try await execute(
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, contract_type, contract_end_date, recorded_at)
                VALUES (\(fixed), 'job_fair', DATE '2026-11-03', 'Biên bản', 'fixed_term', DATE '2027-11-02', TIMESTAMPTZ '2026-11-03 09:00+07')
                """,
                url: url
            )
            let header = PlacementExport.header
            #expect(Array(header.suffix(2)) == ["Loại hợp đồng", "Ngày kết thúc hợp đồng"])
            #expect(header[17] == "Mức lương (VND/tháng)", "the earlier columns keep their places")

            let book = try await ExportReader.read(
                try await PlacementExportTests.export(url, month: "2026-11", asOf: "2026-11-28", format: .xlsx),
                format: .xlsx
            )
            let xlsx = book[0].rows
            // The summary splits the file's people by contract type too, after the earlier breakdowns.
            let byContract = book[1].rows.filter { $0.first??.text == "Theo loại hợp đồng" }.map { [$0[1]?.text ?? "", $0[2]?.text ?? ""] }
            #expect(byContract == [["Chưa ghi nhận", "1"], ["Xác định thời hạn", "1"]])
            #expect(book[1].rows.last?.first??.text == "Theo loại hợp đồng")
            #expect(xlsx.count == 3)
            #expect(xlsx[1][1]?.text == "Lê Thị Trước" && xlsx[1][18]?.text == "Chưa ghi nhận")
            #expect(xlsx[1].count < 20 || xlsx[1][19] == nil, "no end date but for a fixed term")
            #expect(xlsx[2][1]?.text == "Lê Văn Hạn" && xlsx[2][18]?.text == "Xác định thời hạn")
            #expect(xlsx[2][19]?.type == "d" && ["2027-11-02", "02/11/2027"].contains(xlsx[2][19]?.text ?? ""), "\(String(describing: xlsx[2][19]))")

            let csv = ExportReader.sections(
                try await ExportReader.read(
                    try await PlacementExportTests.export(url, month: "2026-11", asOf: "2026-11-28", format: .csv),
                    format: .csv
                )[0].rows
            )[0]
            #expect(csv[0] == header)
            #expect(Array(csv[1].suffix(2)) == ["Chưa ghi nhận", ""])
            #expect(csv[2][18] == "Xác định thời hạn" && ["2027-11-02", "02/11/2027"].contains(csv[2][19]))
        }
    }

    @Test("the migration sets the self-employment channel's entries to self-employment, leaves the others not recorded, notes no matching change")
    func migration() async throws {
        // The migrations before 0034 applied over a small ledger, then 0034.
        let all = try FileManager.default.contentsOfDirectory(atPath: TestCluster.sqlDirectory).filter { $0.hasSuffix(".sql") }.sorted()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in all where name < "0034" {
            try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
        }
        let database = try await TestCluster.emptyDatabase()
        try await TestCluster.withClient(try DatabaseURL.configuration(from: try await TestCluster.ownerURL(database))) { client in
            try await Migrator(directory: directory, logger: TestCluster.logger).migrate(client)
            for statement in [
                "INSERT INTO wards_2025 (ward_code, ward_name, ward_type, province_code, province_name) VALUES ('31321', 'Vị Thanh', 'Phường', '92', 'Cần Thơ')",
                "INSERT INTO workers (full_name, birth_date, sex, ward_code) VALUES ('Người Một', DATE '1990-01-01', 'male', '31321')",
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence)
                SELECT id, c, DATE '2025-03-01', 'Biên bản' FROM workers, unnest(ARRAY['self_employment', 'job_fair', 'independent', 'job_creation_loan']) c
                """,
            ] {
                try await client.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger)
            }
            let noted = try await client.query("SELECT count(*)::int FROM matching_changes", logger: TestCluster.logger).first(Int.self)
            for name in all where name.hasPrefix("0034") {
                try FileManager.default.copyItem(atPath: TestCluster.sqlDirectory + "/" + name, toPath: directory + "/" + name)
            }
            #expect(try await Migrator(directory: directory, logger: TestCluster.logger).migrate(client) == ["0034_placement_contract_type.sql"])
            let stored = try await client.query(
                "SELECT channel, coalesce(contract_type, '-') FROM placements ORDER BY id",
                logger: TestCluster.logger
            ).decode((String, String).self).collect().map { "\($0.0)=\($0.1)" }
            #expect(stored == ["self_employment=self_employment", "job_fair=-", "independent=-", "job_creation_loan=-"])
            #expect(try await client.query("SELECT count(*)::int FROM matching_changes", logger: TestCluster.logger).first(Int.self) == noted)
        }
    }
}
