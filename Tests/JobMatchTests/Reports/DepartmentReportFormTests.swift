import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// The department's report as an XLSX form for A4, checked in a real reader: openpyxl reads its
/// cells and print setup, LibreOffice prints it to PDF, and the PDF's pages are A4 portrait with the
/// whole table across the first page.
@Suite("Reports: the department's monthly and yearly report as an XLSX form")
struct DepartmentReportFormTests {
    @Test("the month's and the year's XLSX carry the page's figures as numbers, and LibreOffice prints them on A4 portrait, one page wide")
    func printedByLibreOffice() async throws {
        try await PrintableReportPageTests.withLedgerViewer { browser in
            // act
            let month = try await browser.get("/reports/monthly?month=2026-11&as_of=2026-11-28&format=xlsx")
            let year = try await browser.get("/reports/yearly?year=2026&as_of=2026-11-28&format=xlsx")
            // verify: a download named for its period, never cached
            #expect(month.status == .ok && year.status == .ok)
            #expect(month.headers[.contentDisposition] == "attachment; filename=\"bao-cao-thang-2026-11.xlsx\"")
            #expect(year.headers[.contentDisposition] == "attachment; filename=\"bao-cao-nam-2026.xlsx\"")
            #expect(month.headers[.cacheControl] == "no-store")
            // the cells, as an independent reader sees them: November 2, year 4, period 4 of 95,000
            let monthCells = try await ExportReader.read(month.bytes, format: .xlsx)
            let monthRow = try #require(Self.row(monthCells, "Lao động được tạo việc làm 2026-2030"))
            #expect(
                monthRow.prefix(6).map { $0?.description ?? "" } == ["s:1", "s:Lao động được tạo việc làm 2026-2030", "n:2", "n:4", "n:4", "n:95000"]
            )
            let yearCells = try await ExportReader.read(year.bytes, format: .xlsx)
            let yearRow = try #require(Self.row(yearCells, "Lao động được tạo việc làm 2026-2030"))
            #expect(yearRow.prefix(5).map { $0?.description ?? "" } == ["s:1", "s:Lao động được tạo việc làm 2026-2030", "n:4", "n:4", "n:95000"])
            let texts = monthCells.flatMap(\.rows).flatMap { $0.compactMap { $0?.text } }
            for text in ["Kính gửi: Sở Nội vụ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC", "Theo khuyết tật"] {
                #expect(texts.contains { $0.contains(text) }, "\(text)")
            }
            for name in ["Nguyễn Thị Ánh", "Trần Văn Bình", "001190000123"] {
                #expect(!texts.contains { $0.contains(name) }, "the report names no one: \(name)")
            }
            let setup = try await ExportReader.pageSetup(month.bytes)
            #expect(setup.count == 1 && setup.allSatisfy { $0.hasSuffix(" 9 portrait true 1 0") }, "\(setup)")
            // printed by LibreOffice: A4 portrait pages, the heading, the whole table and Vietnamese numbers on page 1
            for (download, heading) in [(month, "tháng 11/2026"), (year, "năm 2026")] {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jm-office-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let printed = try await OfficeReader.print(xlsx: download.bytes, in: directory)
                #expect(!printed.pageSizes.isEmpty)
                for size in printed.pageSizes {
                    #expect(abs(size.width - 595.3) < 2 && abs(size.height - 841.9) < 2, "A4 portrait: \(size)")
                }
                let first = printed.pageTexts.first ?? ""
                for text in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", heading, "Kính gửi", "Chỉ tiêu", "Kế hoạch", "Cách tính", "95.000"] {
                    #expect(first.contains(text), "page 1 of the \(heading) report shows \(text):\n\(first)")
                }
                #expect(printed.pageTexts.joined().contains("GIÁM ĐỐC"))
                let picture = try await OfficeReader.picture(of: printed.pdf, in: directory)
                try LiveServer.keepScreenshot(picture, as: heading.hasPrefix("tháng") ? "report_monthly_xlsx.png" : "report_yearly_xlsx.png")
            }
        }
    }

    /// The first row whose second cell is `title`.
    static func row(_ sheets: [ExportReader.Sheet], _ title: String) -> [ExportReader.Cell?]? {
        sheets.flatMap(\.rows).first { $0.count > 1 && $0[1]?.text == title }
    }
}
