import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// The monthly report laid out for printing: the department's heading, the indicators against the
/// targets, the breakdowns, the signatures; aggregates only.
@Suite("Web app: the printable monthly report")
struct PrintableReportPageTests {
    @Test("the month's report has the heading, the indicators as the export counts them, the breakdowns and the signatures, and names no one")
    func monthly() async throws {
        try await Self.withLedgerViewer { browser in
            // act
            let page = try await browser.get("/reports/monthly?month=2026-11&as_of=2026-11-28")
            // verify: as the November export counts (two people in the month, four in the year)
            #expect(page.status == .ok)
            for text in [
                "TRUNG TÂM DỊCH VỤ VIỆC LÀM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi: Sở Nội vụ",
                "Kết quả giải quyết việc làm tháng 11/2026", "tính đến hết ngày 28/11/2026",
                "<td>Lao động được tạo việc làm 2026-2030</td><td class=\"num\">2</td><td class=\"num\">4</td><td class=\"num\">4</td>",
                "<td class=\"num\">95.000</td>",
                "Theo khuyết tật", "Theo kênh", "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC",
            ] {
                #expect(page.html.contains(text), "\(text)")
            }
            for name in ["Nguyễn Thị Ánh", "Trần Văn Bình", "Lò Thị Châu", "001190000123"] {
                #expect(!page.html.contains(name), "the report names no one: \(name)")
            }
            // a month that is not a month, or still to come, is refused at its field
            let bad = try await browser.get("/reports/monthly?month=2026-13")
            #expect(bad.status == .unprocessableContent)
            let later = LocalDate.today().adding(days: 40)
            #expect(try await browser.get("/reports/monthly?month=\(Month(year: later.year, month: later.month)!)").status == .unprocessableContent)
        }
    }

    @Test("the year's report counts within the year against the yearly and period plans, and a year to come is refused")
    func yearly() async throws {
        try await Self.withLedgerViewer { browser in
            // act
            let page = try await browser.get("/reports/yearly?year=2026&as_of=2026-11-28")
            // verify: four people in 2026, as the year's export counts them; no month column
            #expect(page.status == .ok)
            for text in [
                "Kết quả giải quyết việc làm năm 2026", "tính đến hết ngày 28/11/2026", "<th scope=\"col\" class=\"num\">Trong năm</th>",
                "<td>Lao động được tạo việc làm 2026-2030</td><td class=\"num\">4</td><td class=\"num\">4</td>",
                "Người được giải quyết việc làm trong năm, theo nhóm", "href=\"/reports/yearly?year=2026&amp;as_of=2026-11-28&amp;format=xlsx\"",
            ] {
                #expect(page.html.contains(text), "\(text)")
            }
            #expect(!page.html.contains("Lũy kế năm"))
            #expect(try await browser.get("/reports/yearly?year=26").status == .unprocessableContent)
            #expect(try await browser.get("/reports/yearly?year=\(LocalDate.today().year + 1)").status == .unprocessableContent)
            #expect(try await browser.get("/reports/monthly?month=2026-11&format=pdf").status == .unprocessableContent)
        }
    }

    /// A test app holding the export tests' ledger, with a viewer signed in to its pages.
    static func withLedgerViewer(_ body: @escaping @Sendable (WebBrowser) async throws -> Void) async throws {
        try await withTestApp { client, _, url in
            _ = try await PlacementExportTests.ledger(url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)
            try await body(browser)
        }
    }
}
