import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Placements and corrections, batch proposals, imports and the month's export, through the pages.
@Suite("Web app: placements, proposals, imports and exports")
struct LedgerPagesTests {
    @Test("record a placement (a missing proof is refused at its field), see it in its month, reverse it with a reason")
    func placements() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let workerID = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let form = try await browser.get("/placements/new?worker_id=\(workerID)")
            #expect(form.html.contains("value=\"\(workerID)\""))
            let token = try #require(form.csrf)
            let today = LocalDate.today()
            let missing = try await browser.post(
                "/placements/new",
                [
                    ("_csrf", token), ("worker_id", "\(workerID)"), ("channel", "self_employment"),
                    ("start_date", today.vietnamese),
                ]
            )
            #expect(
                missing.status == .unprocessableContent && missing.html.contains("f-evidence-error\" role=\"alert\">Căn cứ"),
                "the message is at the field"
            )
            let made = try await browser.post(
                "/placements/new",
                [
                    ("_csrf", token), ("worker_id", "\(workerID)"), ("channel", "self_employment"),
                    ("start_date", today.vietnamese), ("wage_vnd", "6.500.000"),
                    ("evidence", "Giấy xác nhận của UBND xã"),
                ]
            )
            #expect(made.status == .seeOther && made.location?.contains("done=recorded") == true, "\(made.html)")
            let month = try await browser.get(try #require(made.location))
            #expect(month.html.contains("Trần Thị Bình") && month.html.contains("Tự tạo việc làm") && month.html.contains("6.500.000 ₫"))
            let id = try #require(month.html.range(of: "action=\"/placements/").map { month.html[$0.upperBound...].prefix { $0.isNumber } })
            let reversed = try await browser.post("/placements/\(id)/reverse", [("_csrf", token), ("reason", "Ghi nhầm người")])
            #expect(reversed.status == .seeOther)
            let after = try await browser.get(try #require(reversed.location))
            #expect(after.html.contains("Đã hủy") && after.html.contains("Hủy bản ghi \(id)") && after.html.contains("Ghi nhầm người"))
            #expect(!after.html.contains("action=\"/placements/\(id)/reverse\""), "a reversed entry cannot be reversed again")
        }
    }

    @Test("run the batch from the page; accept one proposal and drop another, back on the proposals page")
    func proposals() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let householdID = Int64(try await client.created("/api/staff/households", token: tokens.officer, Sample.household()))
            for (index, cccd) in ["093190123456", "093190123457"].enumerated() {
                var body = Sample.worker(cccd: cccd, household: householdID).consenting()
                body["full_name"] = index == 0 ? "Trần Thị Bình" : "Lý Thị Cúc"
                #expect(try await client.json(.post, "/api/staff/workers", token: tokens.officer, body).status == .created)
            }
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, Sample.vacancy(slots: 2)).status == .created)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/matching")
            #expect(page.html.contains("Không có đề xuất nào đang chờ."))
            let token = try #require(page.csrf)
            let ran = try await browser.post("/matching/run", [("_csrf", token)])
            #expect(ran.status == .seeOther && ran.location == "/matching?done=run")
            let list = try await browser.get("/matching?done=run")
            #expect(list.html.contains("Trần Thị Bình") && list.html.contains("Lý Thị Cúc") && list.html.contains("Hộ nghèo"))
            // The batch's row: 2 open slots, at most 2 fillable, proven optimal.
            #expect(list.html.contains("<td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">2</td>"))
            #expect(list.html.contains("Đạt (không còn cách ghép nào tốt hơn)"))
            let ids = list.html.components(separatedBy: "action=\"/referrals/").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            let referrals = Array(Set(ids)).sorted()
            #expect(referrals.count == 2)
            let accepted = try await browser.post("/referrals/\(referrals[0])/accept", [("_csrf", token), ("back", "matching")])
            #expect(accepted.location == "/matching?done=accepted")
            let dropped = try await browser.post(
                "/referrals/\(referrals[1])/withdraw",
                [("_csrf", token), ("back", "matching"), ("reason", "Cán bộ bỏ đề xuất")]
            )
            #expect(dropped.location == "/matching?done=withdrawn")
            #expect(try await browser.get("/matching").html.contains("Không có đề xuất nào đang chờ."))
            let first = try await client.staff(ReferralView.self, .get, "/api/staff/referrals/\(referrals[0])", token: tokens.officer)
            #expect(first.status == "referred")
        }
    }

    @Test("upload a list: a bad row stops the file and is shown with its line and column; the error file downloads; then partial import")
    func imports() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/imports")
            let token = try #require(page.csrf)
            let template = try await browser.get("/imports/template.csv")
            #expect(template.html.contains("Họ và tên,Số CCCD,Ngày sinh"))
            let csv = ([ImportTests.header] + ImportTests.good + [ImportTests.bad]).joined(separator: "\r\n") + "\r\n"
            #expect(try await browser.upload("/imports", [], file: ("file", "xa-vi-thanh.csv", csv)).status == .forbidden, "no token")
            let stopped = try await browser.upload("/imports", [("_csrf", token)], file: ("file", "xa-vi-thanh.csv", csv))
            #expect(stopped.status == .seeOther)
            let report = try await browser.get(try #require(stopped.location))
            #expect(report.html.contains("Không nhập dòng nào") && report.html.contains("<td class=\"num\">5</td><td>occupation_codes</td>"))
            let errorFile = try await browser.get(try #require(stopped.location) + "/errors.csv")
            #expect(errorFile.status == .ok && errorFile.html.contains("Phạm Văn Dũng") && errorFile.html.contains("Lỗi"))
            #expect(try await rowCount("workers", url: url) == 0)
            let partial = try await browser.upload("/imports", [("_csrf", token), ("partial", "1")], file: ("file", "xa-vi-thanh.csv", csv))
            let done = try await browser.get(try #require(partial.location))
            #expect(done.html.contains("Đã nhập xong.") && done.html.contains("<dt>Đã nhập mới hoặc cập nhật</dt><dd>3</dd>"))
            #expect(try await rowCount("workers", url: url) == 3)
            let empty = try await browser.upload("/imports", [("_csrf", token)], file: ("file", "", ""))
            #expect(empty.status == .unprocessableContent && empty.html.contains("Hãy chọn tệp CSV"))
            let list = try await browser.get("/imports")
            #expect(list.html.contains("xa-vi-thanh.csv"))

            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            #expect(try await viewer.get("/imports").status == .forbidden, "import reports hold personal data")
            #expect(try await viewer.get(try #require(stopped.location) + "/errors.csv").status == .forbidden)
        }
    }

    @Test("download the month's export from the page (masked CCCD unless asked); the download is in the history")
    func exports() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let workerID = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let today = LocalDate.today()
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/placements",
                    token: tokens.officer,
                    [
                        "worker_id": workerID, "channel": "self_employment", "start_date": today.description, "evidence": "Giấy xác nhận",
                    ]
                ).status == .created
            )
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/exports")
            #expect(page.status == .ok && page.html.contains("Chưa có lượt xuất nào."))
            let month = Month(year: today.year, month: today.month)!.description
            let csv = try await browser.get("/exports/download?month=\(month)&format=csv&cccd=masked")
            #expect(csv.status == .ok && csv.headers[.contentType]?.contains("text/csv") == true)
            #expect(csv.html.contains("Trần Thị Bình") && !csv.html.contains("093190123456"), "CCCD masked")
            let xlsx = try await browser.get("/exports/download?month=\(month)&format=xlsx")
            #expect(xlsx.status == .ok && xlsx.headers[.contentDisposition]?.contains(".xlsx") == true)
            let bad = try await browser.get("/exports/download?month=2026-13&format=csv")
            #expect(bad.status == .unprocessableContent && bad.html.contains("Tháng phải có dạng"))
            #expect(try await browser.get("/exports").html.contains("Xuất trực tiếp"))

            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            #expect(try await viewer.get("/exports/download?month=\(month)&format=csv&cccd=full").status == .forbidden)
            #expect(try await viewer.get("/exports/download?month=\(month)&format=csv").status == .ok)
        }
    }
}
