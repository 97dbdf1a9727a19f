import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The placement export's list read with libpq's binary COPY on a second connection in the
/// first one's snapshot: the same bytes as the rows decoded by PostgresNIO, and a client that
/// goes away mid-stream ends the COPY and its connection.
@Suite("Placement exports read with COPY")
struct CopyExportTests {
    /// 3,000 people with 8,000 placements over 2026 (some reversed, names needing CSV quoting,
    /// every contract type and none), so that a month and the period span several COPY chunks.
    static func seed(url: String) async throws {
        try await execute(
            """
            INSERT INTO households (head_name, ward_code) SELECT 'Hộ ' || g, '31321' FROM generate_series(1, 1500) g;
            INSERT INTO household_statuses (household_id, status, valid_from, standard)
            SELECT id, (ARRAY['poor', 'near_poor', 'low_income'])[1 + (id % 3)::int], DATE '2025-01-01', 'decree_07_2021'
            FROM households WHERE id % 2 = 0;
            INSERT INTO workers (full_name, birth_date, sex, ward_code, household_id, cccd, ethnicity)
            SELECT (ARRAY['Nguyễn Văn An', 'Trần "Bé" Thị Bình', 'Lê, Minh Châu', '-Lò Thị Dũng', 'Phạm Ánh'])[1 + (g % 5)],
                   DATE '1970-01-01' + (g % 12000), CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, '31321',
                   (SELECT min(id) FROM households) + (g % 1500), CASE WHEN g % 7 = 0 THEN NULL ELSE '0' || lpad(g::text, 11, '0') END,
                   CASE WHEN g % 9 = 0 THEN 'Thái' WHEN g % 11 = 0 THEN NULL ELSE 'Kinh' END
            FROM generate_series(1, 3000) g;
            INSERT INTO placements (worker_id, channel, start_date, evidence, occupation_code, wage_vnd, recorded_at, contract_type, contract_end_date)
            SELECT (SELECT min(id) FROM workers WHERE full_name <> 'x') + (g % 3000),
                   (ARRAY['job_fair', 'self_employment', 'independent', 'job_creation_loan'])[1 + (g % 4)],
                   DATE '2026-01-01' + (g % 300), 'Biên bản', CASE WHEN g % 6 = 0 THEN NULL ELSE '8121' END,
                   CASE WHEN g % 5 = 0 THEN NULL ELSE 5000000 + g END, TIMESTAMPTZ '2026-01-02 09:00+07' + (g % 300) * interval '1 day',
                   CASE g % 4 WHEN 1 THEN 'self_employment' WHEN 0 THEN (ARRAY[NULL, 'fixed_term', 'seasonal', 'indefinite'])[1 + (g / 4) % 4] END,
                   CASE WHEN g % 4 = 0 AND (g / 4) % 4 = 1 THEN DATE '2026-01-01' + (g % 300) + 365 END
            FROM generate_series(1, 8000) g;
            INSERT INTO placements (worker_id, channel, start_date, evidence, reverses_id, reason, recorded_at)
            SELECT worker_id, channel, start_date, evidence, id, 'Ghi nhầm', recorded_at + interval '5 days' FROM placements WHERE id % 40 = 0;
            """,
            url: url
        )
    }

    static func export(
        _ url: String,
        _ range: PlacementExportSpec.Range,
        asOf: LocalDate = LocalDate("2026-11-28")!,
        format: TableFormat,
        copy: Bool
    ) async throws -> [UInt8] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await PlacementExports(client: client, logger: TestCluster.logger, copy: copy ? try CopyOutConnector(databaseURL: url) : nil).bytes(
                PlacementExportSpec(range: range, asOf: asOf, fullCCCD: false),
                format: format,
                actor: nil
            )
        }
    }

    /// The plan period 2026-2030 as CSV with COPY, each flush handed to `sink`.
    static func streamPeriod(_ url: String, _ sink: @escaping @Sendable ([UInt8]) async throws -> Void) async throws {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await PlacementExports(client: client, logger: TestCluster.logger, copy: try CopyOutConnector(databaseURL: url)).write(
                PlacementExportSpec(range: .years(first: 2026, last: 2030), asOf: LocalDate("2026-11-28")!, fullCCCD: false),
                format: .csv,
                actor: nil,
                to: sink
            )
        }
    }

    /// Waits until no COPY connection is left on the database (a closed one's server process
    /// ends a moment after the client has gone).
    static func noCopyConnections(_ url: String) async throws {
        _ = try await within(.seconds(30), "the COPY connections closed") {
            while try await rowCount("pg_stat_activity WHERE application_name = 'jobmatch export' AND datname = current_database()", url: url) > 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            return true
        }
    }

    @Test("a month and the plan period read with COPY are byte-identical to the rows decoded by PostgresNIO, in CSV and XLSX")
    func sameBytes() async throws {
        try await withTestApp { _, _, url in
            try await Self.seed(url: url)
            // Early 2027 too, for a range whose year to date is part of the list (counted from its dates).
            try await execute(
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, occupation_code, recorded_at)
                SELECT (SELECT min(id) FROM workers) + (g % 3000), 'independent', DATE '2027-01-01' + (g % 80), 'Biên bản', '8121',
                       TIMESTAMPTZ '2027-01-02 09:00+07' + (g % 80) * interval '1 day'
                FROM generate_series(1, 900) g;
                """,
                url: url
            )
            let cases: [(PlacementExportSpec.Range, LocalDate)] = [
                (.month(Month("2026-06")!), LocalDate("2026-11-28")!), (.years(first: 2026, last: 2030), LocalDate("2026-11-28")!),
                (.years(first: 2026, last: 2027), LocalDate("2027-03-31")!),
                // A month whose rows carry the period's counts, in a year after the period began.
                (.month(Month("2027-02")!), LocalDate("2027-03-31")!),
                // A month with no row: the period's counts read apart.
                (.month(Month("2026-12")!), LocalDate("2027-03-31")!),
            ]
            for (range, asOf) in cases {
                for format in TableFormat.allCases {
                    let copied = try await Self.export(url, range, asOf: asOf, format: format, copy: true)
                    let decoded = try await Self.export(url, range, asOf: asOf, format: format, copy: false)
                    #expect(copied == decoded, "\(range) \(format)")
                }
            }
            let period = try await Self.export(url, .years(first: 2026, last: 2030), format: .csv, copy: true)
            #expect(period.count > 1 << 19)  // more than two COPY chunks
            let rows = ExportReader.sections(try await ExportReader.read(period, format: .csv)[0].rows)
            let counted = try await rowCount(
                "counted_for_target('jobs_2026_2030', 'yearly', '2026-01-01', '2030-12-31', end_of_day('2026-11-28'), false)",
                url: url
            )
            #expect(counted > 2500 && rows[0].count == counted + 1)  // the header and each person once
            // Two years: year to date (2027) is a part of the list, the period to date all of it.
            let twoYears = try await Self.export(url, .years(first: 2026, last: 2027), asOf: LocalDate("2027-03-31")!, format: .csv, copy: true)
            let summary = ExportReader.sections(try await ExportReader.read(twoYears, format: .csv)[0].rows)[1]
            let target = try #require(summary.first { $0.count > 4 && $0[0] == "Chỉ tiêu" && $0[1].contains("2026-2030") })
            let inYear = try await rowCount(
                "counted_for_target('jobs_2026_2030', 'yearly', '2027-01-01', '2027-12-31', end_of_day('2027-03-31'), false)",
                url: url
            )
            #expect(inYear > 0 && target[3] == String(inYear) && Int(target[4])! > inYear)
            // The empty month still says how many the period has counted.
            let december = try await Self.export(url, .month(Month("2026-12")!), asOf: LocalDate("2027-03-31")!, format: .csv, copy: true)
            let decemberSections = ExportReader.sections(try await ExportReader.read(december, format: .csv)[0].rows)
            let decemberTarget = try #require(decemberSections[1].first { $0.count > 4 && $0[0] == "Chỉ tiêu" && $0[1].contains("2026-2030") })
            #expect(decemberSections[0].count == 1 && decemberTarget[2] == "0" && Int(decemberTarget[4])! == counted)
            try await Self.noCopyConnections(url)
        }
    }

    @Test("a client that goes away mid-stream ends the export with its error and closes the COPY connection")
    func clientGone() async throws {
        try await withTestApp { _, _, url in
            try await Self.seed(url: url)
            struct Gone: Error {}
            let flushes = ByteCollector()
            let error = await #expect(throws: Gone.self) {
                try await Self.streamPeriod(url) { bytes in
                    await flushes.append(bytes)
                    throw Gone()
                }
            }
            #expect(error != nil)
            // One flush, of the first rows only: the rest was never read.
            #expect(await flushes.bytes.count < 1 << 19)
            try await Self.noCopyConnections(url)
        }
    }

    @Test("a COPY connection ended by the server mid-stream ends the export with an error, before the summary is written")
    func terminatedMidStream() async throws {
        try await withTestApp { _, _, url in
            try await Self.seed(url: url)
            // 20,000 more people, so the list is far more than the socket holds while the client waits.
            try await execute(
                """
                INSERT INTO workers (full_name, birth_date, sex, ward_code)
                SELECT 'Người ' || g, DATE '1980-01-01' + (g % 9000), 'male', '31321'
                FROM generate_series(1, 20000) g;
                INSERT INTO placements (worker_id, channel, start_date, evidence, recorded_at)
                SELECT id, 'independent', DATE '2026-03-01' + (id % 200)::int, 'Biên bản', TIMESTAMPTZ '2026-03-02 09:00+07'
                FROM workers WHERE full_name LIKE 'Người %';
                """,
                url: url
            )
            let flushes = ByteCollector()
            let (flushed, released) = (Release(), Release())
            let export = Task {
                try await Self.streamPeriod(url) { bytes in
                    await flushes.append(bytes)
                    // The first rows are out; the client stops reading until the server has ended the COPY.
                    await flushed.open()
                    await released.wait()
                }
            }
            do {
                // The COPY is running, blocked on its client's socket once the client stops reading: the
                // server ends its connection.
                _ = try await within(.seconds(60), "the first rows flushed") { await flushed.wait() }
                let owner = try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))
                try await TestCluster.withClient(owner) { admin in
                    _ = try await within(.seconds(60), "the COPY waiting on its client") {
                        while true {
                            let ended = try await admin.query(
                                """
                                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                WHERE application_name = 'jobmatch export' AND datname = current_database()
                                  AND state = 'active' AND query LIKE 'COPY%' AND wait_event = 'ClientWrite'
                                """,
                                logger: TestCluster.logger
                            ).decode(Bool.self).collect()
                            if ended == [true] { return true }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
            } catch {
                await released.open()  // the export is not left waiting
                throw error
            }
            await released.open()
            // The export ends (no hang) with the COPY's failure, not with a file.
            let outcome = try await within(.seconds(60), "the export ending") { await export.result }
            #expect(throws: CopyOutStream.Failure.self) { try outcome.get() }
            // What reached the client is the list's first part only: no summary, no end.
            let sent = String(decoding: await flushes.bytes, as: UTF8.self)
            #expect(sent.hasPrefix("\u{FEFF}STT,Họ và tên,"))
            #expect(!sent.contains("Kỳ báo cáo"))
            #expect(!sent.contains("Tổng hợp"))
            try await Self.noCopyConnections(url)
        }
    }

    @Test("a COPY connection that cannot be opened fails the stored month's file: nothing is stored")
    func connectionFailsStoresNothing() async throws {
        try await withTestApp { _, _, url in
            try await Self.seed(url: url)
            // The same cluster and role, a database that does not exist.
            var components = try #require(URLComponents(string: url))
            components.path = "/no_such_database"
            let elsewhere = try #require(components.string)
            let error = await #expect(throws: CopyOutStream.Failure.self) {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                    try await ExportFiles(client: client, logger: TestCluster.logger, copy: try CopyOutConnector(databaseURL: elsewhere)).make(
                        month: Month("2026-06")!,
                        format: .csv,
                        scheduled: true,
                        actor: nil,
                        today: LocalDate("2026-11-28")!
                    )
                }
            }
            #expect(error?.description.contains("no_such_database") == true)
            #expect(try await rowCount("export_files", url: url) == 0)
            try await Self.noCopyConnections(url)
        }
    }

    /// A door the test opens once: whoever waits before then waits until it is open.
    actor Release {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func wait() async {
            if self.isOpen { return }
            await withCheckedContinuation { self.waiters.append($0) }
        }

        func open() {
            self.isOpen = true
            for waiter in self.waiters { waiter.resume() }
            self.waiters = []
        }
    }
}
