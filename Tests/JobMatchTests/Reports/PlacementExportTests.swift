import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The monthly placement export: both formats read back by an independent reader and compared
/// cell by cell with the database; as-of reproduction; the corrections section; the API's checks.
@Suite("Placement exports")
struct PlacementExportTests {
    /// October and November 2026: people with tricky names, IDs with leading zeros, an overseas
    /// departure, a reversal and a late entry recorded in November for October.
    struct Ledger {
        let alice: Int, binh: Int, chau: Int, formula: Int
        let octoberKept: Int, octoberReversed: Int, octoberLate: Int, november: Int, departure: Int
    }

    static func ledger(url: String) async throws -> Ledger {
        let alice = try await insertWorker("Nguyễn Thị Ánh", sex: "female", statuses: [("poor", "2026-01-01", nil)], url: url)
        let binh = try await insertWorker(
            "Trần Văn Bình",
            statuses: [("near_poor", "2026-01-01", "2026-10-31"), ("low_income", "2026-11-01", nil)],
            url: url
        )
        let chau = try await insertWorker("Lò Thị Châu", sex: "female", url: url)
        let formula = try await insertWorker("=HYPERLINK(\"http://x\")", url: url)
        try await execute(
            """
            UPDATE workers SET cccd = '001190000123', ethnicity = 'Kinh' WHERE id = \(alice);
            UPDATE workers SET cccd = '001090000456', legacy_ward_code = (SELECT legacy_ward_code FROM ward_crosswalk WHERE ward_code = '31321' LIMIT 1) WHERE id = \(binh);
            UPDATE workers SET ethnicity = 'Thái', disability_type = 'motor', disability_severity = 'mild' WHERE id = \(chau);
            """,
            url: url
        )
        let kept = try await insertPlacement(worker: alice, start: "2026-10-05", recorded: "2026-10-06 09:00+07", url: url)
        let reversed = try await insertPlacement(
            worker: binh,
            channel: "self_employment",
            start: "2026-10-10",
            recorded: "2026-10-11 09:00+07",
            url: url
        )
        try await reversePlacement(reversed, recorded: "2026-11-10 09:00+07", url: url)
        let late = try await insertPlacement(worker: chau, channel: "independent", start: "2026-10-20", recorded: "2026-11-03 09:00+07", url: url)
        let november = try await insertPlacement(worker: formula, start: "2026-11-02", recorded: "2026-11-02 10:00+07", url: url)
        let departure = try await insertPlacement(
            worker: binh,
            channel: "overseas_departure",
            start: "2026-11-15",
            recorded: "2026-11-15 10:00+07",
            country: "KR",
            url: url
        )
        try await execute("UPDATE placements SET wage_vnd = 7500000, occupation_code = '8121' WHERE id = \(november)", url: url)
        return Ledger(
            alice: alice,
            binh: binh,
            chau: chau,
            formula: formula,
            octoberKept: kept,
            octoberReversed: reversed,
            octoberLate: late,
            november: november,
            departure: departure
        )
    }

    static func export(_ url: String, month: String, asOf: String, format: TableFormat, fullCCCD: Bool = true) async throws -> [UInt8] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await PlacementExports(client: client, logger: TestCluster.logger, copy: try CopyOutConnector(databaseURL: url)).bytes(
                PlacementExportSpec(range: .month(Month(month)!), asOf: LocalDate(asOf)!, fullCCCD: fullCCCD),
                format: format,
                actor: nil
            )
        }
    }

    /// The rows the export must hold for a month, worked out here from the tables directly (no
    /// `counted_placements`): live placements started in the month whose worker has no earlier live
    /// placement in 2026, by start date then id; every column as text.
    static func expectedRows(_ url: String, from: String, to: String) async throws -> [[String]] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let rows = try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT w.full_name, extract(year FROM w.birth_date)::int::text, CASE w.sex WHEN 'female' THEN 'Nữ' ELSE 'Nam' END,
                               COALESCE(w.ethnicity, ''), COALESCE(w.cccd, ''), CASE WHEN w.disability_type IS NULL THEN 'Không' ELSE 'Có' END,
                               COALESCE((SELECT s.status FROM household_statuses s WHERE s.household_id = w.household_id AND s.valid_from <= p.start_date
                                         AND (s.valid_to IS NULL OR s.valid_to >= p.start_date)), 'none'),
                               w.ward_code, wd.ward_name, COALESCE(p.occupation_code, ''), COALESCE(p.destination_country, ''), p.channel,
                               p.start_date::text, COALESCE(p.wage_vnd::text, ''),
                               COALESCE((SELECT DISTINCT lw.district_name FROM legacy_wards lw WHERE lw.ward_code = w.legacy_ward_code), ''),
                               COALESCE(o.title_vi, o.title_en, ''), COALESCE(e.name, oe.name, '')
                        FROM placements p JOIN workers w ON w.id = p.worker_id JOIN wards_2025 wd ON wd.ward_code = w.ward_code
                        LEFT JOIN occupations o ON o.code = p.occupation_code LEFT JOIN employers e ON e.id = p.employer_id
                        LEFT JOIN overseas_contracts oc ON oc.id = p.overseas_contract_id LEFT JOIN overseas_enterprises oe ON oe.id = oc.enterprise_id
                        WHERE p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                          AND p.start_date BETWEEN DATE '\(from)' AND DATE '\(to)'
                          AND NOT EXISTS (SELECT 1 FROM placements q WHERE q.worker_id = p.worker_id AND q.reverses_id IS NULL AND q.id <> p.id
                                          AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = q.id)
                                          AND q.start_date >= DATE '2026-01-01' AND (q.start_date, q.id) < (p.start_date, p.id))
                        ORDER BY p.start_date, p.id
                        """
                ),
                logger: TestCluster.logger
            )
            var result: [[String]] = []
            for try await row in rows.decode(
                (
                    String, String, String, String, String, String, String, String, String, String, String, String, String, String,
                    String, String, String
                ).self
            ) {
                result.append([
                    row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13,
                    row.14, row.15, row.16,
                ])
            }
            return result
        }
    }

    /// Compares one export row (as read back) with an expected row from `expectedRows`.
    static func check(_ cells: [String], number: Int, against expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let status = HouseholdStatus(rawValue: expected[6])!.vietnamese
        let channel = PlacementLedger.Channel(rawValue: expected[11])!.vietnamese
        let day = LocalDate(expected[12])!
        #expect(cells[0] == "\(number)", sourceLocation: sourceLocation)
        #expect(
            Array(cells[1...8]) == [expected[0], expected[1], expected[2], expected[3], expected[4], expected[5], status, expected[7]],
            sourceLocation: sourceLocation
        )
        #expect(cells[9] == expected[8], sourceLocation: sourceLocation)
        #expect(cells[11] == expected[9] && cells[14] == expected[10] && cells[15] == channel, sourceLocation: sourceLocation)
        // Legacy district (only Bình has a legacy ward recorded; the others' 2025 ward maps to one district or none).
        #expect(expected[14].isEmpty || cells[10] == expected[14], sourceLocation: sourceLocation)
        #expect(cells[12] == expected[15] && cells[13] == expected[16], sourceLocation: sourceLocation)
        #expect(cells[16] == day.description || cells[16] == day.vietnamese, sourceLocation: sourceLocation)
        #expect(cells[17] == expected[13], sourceLocation: sourceLocation)
    }

    @Test("XLSX and CSV read back by openpyxl and Python's csv match the database cell by cell, with types and no formulas")
    func roundTrip() async throws {
        try await withTestApp { _, _, url in
            _ = try await Self.ledger(url: url)
            let expected = try await Self.expectedRows(url, from: "2026-11-01", to: "2026-11-30")
            #expect(expected.count == 2)

            let xlsx = try await ExportReader.read(try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .xlsx), format: .xlsx)
            #expect(xlsx.map(\.name) == PlacementExport.sections)
            let sheet = xlsx[0].rows
            #expect(sheet[0].map { $0?.text ?? "" } == PlacementExport.header)
            #expect(sheet.count == expected.count + 1)
            for (index, expectedRow) in expected.enumerated() {
                let row = sheet[index + 1]
                Self.check(row.map { $0?.text ?? "" }, number: index + 1, against: expectedRow)
                // Types: names and IDs are text (leading zeros kept), the date is a date, numbers are numbers.
                for column in [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] {
                    #expect(row[column].map { $0.type == "s" } != false, "column \(column): \(String(describing: row[column]))")
                }
                #expect(row[0]?.type == "n" && row[2]?.type == "n" && row[16]?.type == "d")
                #expect(row.allSatisfy { $0?.type != "f" })
            }
            // The departure's person has a CCCD with a leading zero, kept as text.
            #expect(sheet[2][5] == ExportReader.Cell(type: "s", text: "001090000456"))
            #expect(sheet[1][1]?.text == "=HYPERLINK(\"http://x\")" && sheet[1][1]?.type == "s")

            let csvBytes = try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .csv)
            let csv = ExportReader.sections(try await ExportReader.read(csvBytes, format: .csv)[0].rows)
            #expect(csv.count == 3)
            #expect(csv[0][0] == PlacementExport.header)
            #expect(csv[0].count == expected.count + 1)
            for (index, expectedRow) in expected.enumerated() {
                var cells = csv[0][index + 1]
                // A cell that could run as a formula is neutralised with a leading apostrophe.
                if expectedRow[0].hasPrefix("=") {
                    #expect(cells[1] == "'" + expectedRow[0])
                    cells[1].removeFirst()
                }
                Self.check(cells, number: index + 1, against: expectedRow)
            }
            #expect(csv[1].first == ["Tổng hợp"] && csv[2].first == ["Điều chỉnh"])
        }
    }

    @Test("the summary counts the month, year and period against the targets, with breakdowns, in both formats")
    func summary() async throws {
        try await withTestApp { _, _, url in
            let ledger = try await Self.ledger(url: url)
            _ = ledger
            for format in TableFormat.allCases {
                let bytes = try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: format)
                let sheets = try await ExportReader.read(bytes, format: format)
                let summary: [[String]] =
                    format == .xlsx
                    ? sheets[1].rows.map { $0.map { $0?.text ?? "" } }
                    : Array(ExportReader.sections(sheets[0].rows)[1].dropFirst())
                #expect(summary[0] == PlacementExportSummary.header)
                func row(_ section: String, _ label: String) -> [String]? {
                    summary.first { $0.count > 1 && $0[0] == section && $0[1] == label }
                }
                // November: the formula-named worker and Bình's departure; year and period to date add
                // Ánh (October) and Châu (October, recorded late); Bình's October job was reversed.
                let jobs = try #require(row("Chỉ tiêu", "Lao động được tạo việc làm 2026-2030"), "\(summary)")
                #expect(Array(jobs[2...5]) == ["2", "4", "4", "95000"])
                #expect(jobs[6] == "0" || jobs[6].hasPrefix("0"))
                // Breakdowns count the file's rows: November's two people.
                #expect(summary.contains { Array($0.prefix(3)) == PlacementExportSummary.breakdownHeader })
                #expect(row("Theo kênh", "Đi làm việc ở nước ngoài")?[2] == "1")
                #expect(row("Theo kênh", "Phiên giao dịch việc làm")?[2] == "1")
                #expect(row("Theo thị trường (nước đến)", "KR")?[2] == "1")
                #expect(row("Theo giới tính", "Nam")?[2] == "2" && row("Theo giới tính", "Nữ") == nil)
                #expect(row("Theo tình trạng hộ (tại ngày tính)", "Hộ có thu nhập thấp")?[2] == "1")
                #expect(row("Theo tình trạng hộ (tại ngày tính)", "Không thuộc diện")?[2] == "1")
                #expect(row("Theo tình trạng hộ (tại ngày tính)", "Hộ nghèo") == nil)
                // The abroad target's period (2021-2025) does not hold November 2026.
                #expect(summary.allSatisfy { !($0.count > 1 && $0[1].contains("nước ngoài theo hợp đồng 2021-2025")) })
                #expect(row("Theo khuyết tật", "Không khuyết tật")?[2] == "2" && row("Theo khuyết tật", "Người khuyết tật") == nil)
                #expect(row("Theo dân tộc", "Chưa ghi nhận")?[2] == "2")
                #expect(jobs[7] == CountingBasis.yearly.vietnamese)
            }
            // Every sheet prints on A4 landscape, one page wide (openpyxl reads the page setup).
            let xlsx = try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .xlsx)
            #expect(
                try await ExportReader.pageSetup(xlsx) == PlacementExport.sections.map { "\($0) 9 landscape true 1 0" }
            )
            // October: Ánh (Kinh) and Châu (Thái, with a disability; recorded late)
            let october = try await Self.export(url, month: "2026-10", asOf: "2026-11-28", format: .csv)
            let summary = Array(ExportReader.sections(try await ExportReader.read(october, format: .csv)[0].rows)[1].dropFirst())
            func row(_ section: String, _ label: String) -> [String]? {
                summary.first { $0.count > 1 && $0[0] == section && $0[1] == label }
            }
            #expect(row("Theo khuyết tật", "Người khuyết tật")?[2] == "1" && row("Theo khuyết tật", "Không khuyết tật")?[2] == "1")
            #expect(row("Theo dân tộc", "Dân tộc thiểu số")?[2] == "1" && row("Theo dân tộc", "Kinh")?[2] == "1")
        }
    }

    @Test("corrections to October recorded in November are listed once, in November's file, and October's rows are not changed")
    func corrections() async throws {
        try await withTestApp { _, _, url in
            let ledger = try await Self.ledger(url: url)
            _ = ledger
            // October as reported at its end: Ánh and Bình (reversed only in November); not Châu (recorded in November).
            let october = try await ExportReader.read(try await Self.export(url, month: "2026-10", asOf: "2026-10-31", format: .xlsx), format: .xlsx)
            #expect(october[0].rows.dropFirst().map { $0[1]?.text } == ["Nguyễn Thị Ánh", "Trần Văn Bình"])
            #expect(october[2].rows.count == 1)  // header only: nothing before October in the period changed

            let november = try await ExportReader.read(try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .xlsx), format: .xlsx)
            let corrections = november[2].rows.dropFirst().map { $0.map { $0?.text ?? "" } }
            #expect(corrections.count == 2, "\(corrections)")
            let removed = try #require(corrections.first { $0[1] == "Loại khỏi số liệu" })
            #expect(removed[0] == "10/2026" && removed[3] == "Trần Văn Bình" && removed[2].contains("Ghi nhầm") && removed[8] == "2026-11-10")
            let added = try #require(corrections.first { $0[1] == "Bổ sung" })
            #expect(
                added[0] == "10/2026" && added[3] == "Lò Thị Châu" && added[2].contains("sau khi tháng đã được báo cáo") && added[8] == "2026-11-03"
            )
            // November's own rows hold only November's counted placements.
            #expect(november[0].rows.dropFirst().compactMap { $0[16]?.text }.allSatisfy { $0.hasPrefix("2026-11") })

            // December's file (as of its end) would not list them again.
            let december = try await ExportReader.read(try await Self.export(url, month: "2026-12", asOf: "2026-11-28", format: .xlsx), format: .xlsx)
            #expect(december[2].rows.count == 1)
        }
    }

    @Test("two records of one person merged after their month was reported: the second count is withdrawn in the next file")
    func mergeCorrection() async throws {
        try await withTestApp { _, _, url in
            let kept = try await insertWorker("Vũ Văn Khải", url: url)
            let duplicate = try await insertWorker("Vũ Văn Khải", url: url)
            let other = try await insertWorker("Mai Thị Lan", sex: "female", url: url)
            _ = try await insertPlacement(worker: kept, start: "2026-10-03", recorded: "2026-10-03 09:00+07", url: url)
            _ = try await insertPlacement(worker: duplicate, start: "2026-10-08", recorded: "2026-10-08 09:00+07", url: url)
            _ = try await insertPlacement(worker: other, start: "2026-10-09", recorded: "2026-10-09 09:00+07", url: url)
            try await execute(
                """
                INSERT INTO worker_merges (kept_id, merged_id, merged_at) VALUES (\(kept), \(duplicate), TIMESTAMPTZ '2026-11-05 09:00+07');
                UPDATE workers SET merged_into = \(kept), merged_at = TIMESTAMPTZ '2026-11-05 09:00+07' WHERE id = \(duplicate);
                """,
                url: url
            )
            let october = try await ExportReader.read(try await Self.export(url, month: "2026-10", asOf: "2026-10-31", format: .xlsx), format: .xlsx)
            #expect(october[0].rows.count == 4)
            let november = try await ExportReader.read(try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .csv), format: .csv)
            let corrections = Array(ExportReader.sections(november[0].rows)[2].dropFirst(2))
            #expect(corrections.count == 1, "\(corrections)")
            #expect(corrections.first.map { [$0[0], $0[1], $0[3]] } == ["10/2026", "Loại khỏi số liệu", "Vũ Văn Khải"])
            #expect(corrections.first?[7] == "08/10/2026" && corrections.first?[2].contains("gộp hồ sơ") == true)
        }
    }

    @Test("an export as of a past day is byte-identical after later reversals and entries")
    func asOfReproduction() async throws {
        try await withTestApp { _, _, url in
            let ledger = try await Self.ledger(url: url)
            var before: [TableFormat: [UInt8]] = [:]
            for format in TableFormat.allCases {
                before[format] = try await Self.export(url, month: "2026-11", asOf: "2026-11-20", format: format, fullCCCD: false)
            }
            // Later: the departure is reversed and a new November job is recorded late, both after the 20th.
            try await reversePlacement(ledger.departure, recorded: "2026-11-25 09:00+07", url: url)
            _ = try await insertPlacement(worker: ledger.alice, start: "2026-11-05", recorded: "2026-11-26 09:00+07", url: url)
            _ = try await insertPlacement(worker: ledger.chau, start: "2026-11-06", recorded: "2026-11-26 09:00+07", url: url)
            for format in TableFormat.allCases {
                let again = try await Self.export(url, month: "2026-11", asOf: "2026-11-20", format: format, fullCCCD: false)
                #expect(again == before[format], "\(format) export as of 2026-11-20 changed")
                let now = try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: format, fullCCCD: false)
                #expect(now != before[format])
            }
            // Masked: no whole CCCD anywhere in the masked files.
            for bytes in before.values where bytes.count > 0 {
                let rows = try await ExportReader.read(bytes, format: bytes.starts(with: CSVWriter.byteOrderMark) ? .csv : .xlsx)
                #expect(!rows.flatMap(\.rows).flatMap { $0 }.contains { $0?.text == "001090000456" })
            }
        }
    }

    @Test("the API streams both formats to staff, masks CCCD unless an officer asks, refuses bad input, and audits each export")
    func api() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await Self.ledger(url: url)
            let xlsx = try await client.execute(
                uri: "/api/staff/exports/placements?month=2026-11&format=xlsx&as_of=2026-11-28",
                method: .get,
                headers: [.authorization: "Bearer \(tokens.viewer)"]
            )
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == TableFormat.xlsx.contentType)
            #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"placements-2026-11.xlsx\"")
            let masked = try await Self.export(url, month: "2026-11", asOf: "2026-11-28", format: .xlsx, fullCCCD: false)
            #expect(Array(buffer: xlsx.body) == masked)

            let full = try await client.execute(
                uri: "/api/staff/exports/placements?month=2026-11&as_of=2026-11-28&cccd=full",
                method: .get,
                headers: [.authorization: "Bearer \(tokens.officer)"]
            )
            #expect(full.status == .ok && String(decoding: Array(buffer: full.body), as: UTF8.self).contains("001090000456"))

            let period = try await client.execute(
                uri: "/api/staff/exports/placements?period=2026-2030&format=csv",
                method: .get,
                headers: [.authorization: "Bearer \(tokens.viewer)"]
            )
            #expect(period.status == .ok)
            let periodRows = ExportReader.sections(try await ExportReader.read(Array(buffer: period.body), format: .csv)[0].rows)[0]
            #expect(periodRows.count == 5)  // header and Ánh, Châu, the formula-named worker, Bình's departure

            let audited = try await rowCount("audit_log WHERE action = 'export' AND entity = 'placements'", url: url)
            for (query, token, status, field) in [
                ("month=2026-13", tokens.viewer, HTTPResponse.Status.unprocessableContent, "month"),
                ("period=2026", tokens.viewer, .unprocessableContent, "period"),
                ("month=2026-11&period=2026-2030", tokens.viewer, .unprocessableContent, "period"),
                ("", tokens.viewer, .unprocessableContent, "month"),
                ("month=2026-11&format=pdf", tokens.viewer, .unprocessableContent, "format"),
                ("month=2026-11&as_of=2999-01-01", tokens.viewer, .unprocessableContent, "as_of"),
                ("month=2026-11&as_of=yesterday", tokens.viewer, .unprocessableContent, "as_of"),
                ("month=2026-11&cccd=full", tokens.viewer, .forbidden, "cccd"),
            ] {
                let response = try await client.send(.get, "/api/staff/exports/placements?\(query)", token: token)
                #expect(response.status == status, "\(query)")
                #expect(response.problem?.field == field, "\(query)")
            }
            let anonymous = try await client.execute(uri: "/api/staff/exports/placements?month=2026-11", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(try await rowCount("audit_log WHERE action = 'export' AND entity = 'placements'", url: url) == audited)
            #expect(
                try await rowCount(
                    "audit_log WHERE action = 'export' AND entity = 'placements' AND after->>'cccd' = 'full' AND actor_kind = 'staff'",
                    url: url
                ) == 1
            )
        }
    }
}
