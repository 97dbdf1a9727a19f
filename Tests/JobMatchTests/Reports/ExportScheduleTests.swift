import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The scheduled monthly files (driven by a clock the test sets), the stored-file list and
/// downloads, and the other reports.
@Suite("Scheduled exports and reports")
struct ExportScheduleTests {
    /// A moment in Vietnam time.
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text + "+07:00")!
    }

    /// The schedule reads its files' rows with COPY, as the service's does.
    static func scheduler(_ url: String, client: PostgresClient, now: String, day: Int = 1) throws -> ExportScheduler {
        var config = ExportScheduleConfig()
        config.day = day
        let moment = Self.at(now)
        return ExportScheduler(
            client: client,
            logger: TestCluster.logger,
            config: config,
            copy: try CopyOutConnector(databaseURL: url),
            clock: { moment }
        )
    }

    static func storedMonths(_ url: String) async throws -> [String] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query(
                "SELECT month || ':' || format FROM export_files WHERE scheduled ORDER BY month, format",
                logger: TestCluster.logger
            ).decode(String.self).collect()
        }
    }

    @Test("last month's files are made on the configured day, missed months are caught up after downtime, and never twice")
    func schedule() async throws {
        try await withTestApp { _, _, url in
            let worker = try await insertWorker("Đặng Văn Em", url: url)
            _ = try await insertPlacement(worker: worker, start: "2026-09-10", recorded: "2026-09-11 09:00+07", url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                // 15 September: August is due. Again on the 20th: nothing new.
                #expect(try await Self.scheduler(url, client: client, now: "2026-09-15T08:00:00").runDue().count == 2)
                #expect(try await Self.scheduler(url, client: client, now: "2026-09-20T08:00:00").runDue().isEmpty)
                #expect(try await Self.storedMonths(url) == ["2026-08:csv", "2026-08:xlsx"])
                // Down from then until 2 November: September and October are both made.
                #expect(try await Self.scheduler(url, client: client, now: "2026-11-02T06:00:00").runDue().count == 4)
                // With the day set to 5, November is not due on 3 December, and is on the 5th.
                #expect(try await Self.scheduler(url, client: client, now: "2026-12-03T06:00:00", day: 5).runDue().isEmpty)
                // Two instances at once on the 5th: November made once in each format.
                async let first = Self.scheduler(url, client: client, now: "2026-12-05T06:00:00", day: 5).runDue()
                async let second = Self.scheduler(url, client: client, now: "2026-12-05T06:00:00", day: 5).runDue()
                #expect(try await first.count + second.count == 2)
                #expect(
                    try await Self.storedMonths(url) == [
                        "2026-08:csv", "2026-08:xlsx", "2026-09:csv", "2026-09:xlsx", "2026-10:csv", "2026-10:xlsx", "2026-11:csv", "2026-11:xlsx",
                    ]
                )
                // September's stored file is the month as at its last day, and its checksum is right.
                let (content, checksum, asOf) = try await client.query(
                    "SELECT content, sha256, as_of::text FROM export_files WHERE scheduled AND month = '2026-09' AND format = 'csv'",
                    logger: TestCluster.logger
                ).decode((ByteBuffer, String, String).self).collect()[0]
                let bytes = Array(buffer: content)
                #expect(asOf == "2026-09-30")
                #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == checksum)
                // Made again with the rows decoded by PostgresNIO instead of read with COPY: the same bytes.
                let again = try await PlacementExports(client: client, logger: TestCluster.logger).bytes(
                    PlacementExportSpec(range: .month(Month("2026-09")!), asOf: LocalDate("2026-09-30")!, fullCCCD: false),
                    format: .csv,
                    actor: nil
                )
                #expect(again == bytes)
                #expect(String(decoding: bytes, as: UTF8.self).contains("Đặng Văn Em"))
                // Stored files are never changed.
                let refused = try await sqlState {
                    try await client.query("UPDATE export_files SET month = '2020-01'", logger: TestCluster.logger)
                }
                #expect(refused == "23514")  // check_violation, from the trigger that keeps files as made
            }
        }
    }

    @Test("staff list stored files and download them; each download is recorded and audited")
    func listAndDownload() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await ExportFiles(client: db, logger: TestCluster.logger).make(
                    month: Month("2026-10")!,
                    format: .xlsx,
                    scheduled: true,
                    actor: nil
                )
            }
            let files = try await client.answer(ExportRoutes.FileList.self, .get, "/api/staff/exports/files", token: tokens.viewer, snakeCase: true)
                .get().files
            #expect(files.count == 1 && files[0].month == "2026-10" && files[0].downloads == 0)
            let download = try await client.execute(
                uri: "/api/staff/exports/files/\(id!)",
                method: .get,
                headers: [.authorization: "Bearer \(tokens.viewer)"]
            )
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == TableFormat.xlsx.contentType)
            let checksum = SHA256.hash(data: Array(buffer: download.body)).map { String(format: "%02x", $0) }.joined()
            #expect(checksum == files[0].sha256)
            let after = try await client.answer(ExportRoutes.FileList.self, .get, "/api/staff/exports/files", token: tokens.viewer, snakeCase: true)
            #expect(try after.get().files.first?.downloads == 1)
            #expect(try await rowCount("audit_log WHERE action = 'download' AND entity = 'export_file' AND entity_id = '\(id!)'", url: url) == 1)
            #expect(try await client.json(.get, "/api/staff/exports/files/999999", token: tokens.viewer).status == .notFound)
            #expect(try await client.json(.get, "/api/staff/exports/files/abc", token: tokens.viewer).status == .notFound)
        }
    }

    @Test("the other reports download as CSV and XLSX, match the database, and are audited")
    func reports() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await insertWorker("Phạm Thị Giang", sex: "female", statuses: [("poor", "2026-01-01", nil)], url: url)
            _ = try await insertWorker("Hoàng Văn Hùng", url: url)
            let list = try await client.answer(ExportRoutes.ReportList.self, .get, "/api/staff/reports", token: tokens.viewer, snakeCase: true)
            #expect(try list.get().reports.compactMap { $0["key"] } == TableReport.all.map(\.key))
            for report in TableReport.all {
                for format in TableFormat.allCases {
                    let response = try await client.execute(
                        uri: "/api/staff/reports/\(report.key)?format=\(format.rawValue)",
                        method: .get,
                        headers: [.authorization: "Bearer \(tokens.viewer)"]
                    )
                    #expect(response.status == .ok, "\(report.key) \(format)")
                    let sheets = try await ExportReader.read(Array(buffer: response.body), format: format)
                    #expect(sheets[0].rows.first?.map { $0?.text ?? "" } == report.columns.map(\.title))
                    if report.key == "workers-by-status-ward" {
                        // One row: ward 31321, seeking, two people, one woman, one from a poor household.
                        let row = sheets[0].rows[1].map { $0?.text ?? "" }
                        #expect(row[0] == "31321" && row[3] == "Đang tìm việc" && Array(row[4...6]) == ["2", "1", "1"], "\(row)")
                        #expect(sheets[0].rows.count == 2)
                        if format == .xlsx { #expect(sheets[0].rows[1][0]?.type == "s") }
                    }
                }
            }
            #expect(try await rowCount("audit_log WHERE action = 'export' AND entity = 'report'", url: url) == TableReport.all.count * 2)
            #expect(try await client.json(.get, "/api/staff/reports/nothing", token: tokens.viewer).status == .notFound)
            #expect(try await client.json(.get, "/api/staff/reports/open-vacancies?format=doc", token: tokens.viewer).status == .unprocessableContent)
        }
    }
}
