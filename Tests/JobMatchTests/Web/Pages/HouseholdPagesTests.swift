import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Registering a household, reading it with its status history and members, and recording a new
/// status through the pages (the API's rules and messages).
@Suite("Web app: household pages")
struct HouseholdPagesTests {
    @Test("register a household: an invalid form comes back with the message at its field and what was typed; a valid one opens the household")
    func register() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let form = try await browser.get("/households/new")
            #expect(form.status == .ok && form.html.contains("Đăng ký hộ gia đình"), "not taken for /households/:id")
            #expect(form.html.contains("Phường Vị Thanh") && form.html.contains("Hộ cận nghèo") && form.html.contains("Nghị định 07/2021"))
            #expect(form.html.contains("aria-current=\"page\">Người lao động"))
            let token = try #require(form.csrf)
            let fields: [(String, String)] = [
                ("_csrf", token), ("head_name", "Nguyễn Văn Ánh"), ("ward_code", Sample.ward), ("address", "Ấp 3, khu vực 5"),
                ("household_code", "HN-0042"), ("status", "poor"), ("standard", ""), ("decision_ref", "125/QĐ-UBND"),
            ]
            let badDate = try await browser.post("/households/new", fields + [("status_valid_from", "31/02/2026")])
            #expect(badDate.status == .unprocessableContent)
            #expect(badDate.html.contains("Hãy nhập ngày theo dạng ngày/tháng/năm"))
            #expect(badDate.html.contains("value=\"Nguyễn Văn Ánh\"") && badDate.html.contains("value=\"31/02/2026\""), "what was typed is kept")
            #expect(badDate.html.contains("aria-invalid=\"true\""))
            let noStatus = try await browser.post("/households/new", fields.filter { $0.0 != "status" } + [("status_valid_from", "01/01/2026")])
            #expect(noStatus.status == .unprocessableContent && noStatus.html.contains("Hãy chọn tình trạng hộ."))
            let noWard = try await browser.post("/households/new", fields.filter { $0.0 != "ward_code" } + [("status_valid_from", "01/01/2026")])
            #expect(noWard.status == .unprocessableContent && noWard.html.contains("Cần mã xã/phường"), "the API's message")
            #expect(try await rowCount("households", url: url) == 0, "nothing written")

            let made = try await browser.post("/households/new", fields + [("status_valid_from", "01/01/2026")])
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            #expect(location.hasPrefix("/households/") && location.hasSuffix("?done=registered"))
            let id = Int64(location.dropFirst("/households/".count).prefix { $0.isNumber })!
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.html.contains("Đã đăng ký hộ gia đình.") && page.html.contains("<h1>Hộ Nguyễn Văn Ánh</h1>"))
            #expect(page.html.contains("HN-0042") && page.html.contains("Ấp 3, khu vực 5") && page.html.contains("Phường Vị Thanh"))
            #expect(page.html.contains("<strong>Hộ nghèo</strong>") && page.html.contains("01/01/2026") && page.html.contains("125/QĐ-UBND"))
            #expect(page.html.contains("Nghị định 07/2021"), "the API's default standard, in words")
            #expect(page.missingTemplateValues == nil, "every template value given")
            #expect(
                try await rowCount(
                    "audit_log WHERE entity = 'household' AND action = 'create' AND entity_id = '\(id)' AND after->>'household_code' = 'HN-0042'",
                    url: url
                ) == 1
            )

            let sameCode = try await browser.post("/households/new", fields + [("status_valid_from", "01/01/2026")])
            #expect(sameCode.status == .conflict && sameCode.html.contains("Mã hộ HN-0042 đã được dùng cho hộ số \(id)"))
            #expect(try await rowCount("households", url: url) == 1)

            // A member registered with the household's id is listed, linking to the record.
            let workerID = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(household: id))
            let withMember = try await browser.get("/households/\(id)")
            #expect(withMember.html.contains("<a href=\"/workers/\(workerID)\">Trần Thị Bình</a>") && withMember.html.contains("1990"))
        }
    }

    @Test("a new status closes the open one; an overlapping period is the API's conflict, shown at its field; viewers only read")
    func statuses() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await client.created("/api/staff/households", token: tokens.officer, Sample.household(from: "2026-01-01"))
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/households/\(id)")
            #expect(page.html.contains("action=\"/households/\(id)/statuses\"") && page.html.contains("Ghi nhận tình trạng mới"))
            let token = try #require(page.csrf)
            let added = try await browser.post(
                "/households/\(id)/statuses",
                [
                    ("_csrf", token), ("status", "near_poor"), ("valid_from", "01/07/2026"), ("valid_to", ""), ("standard", ""),
                    ("decision_ref", "88/QĐ-UBND"),
                ]
            )
            #expect(added.status == .seeOther && added.location == "/households/\(id)?done=status")
            let after = try await browser.get(try #require(added.location))
            #expect(after.html.contains("Đã ghi nhận tình trạng mới của hộ."))
            // (Which one is in force depends on today: the badge is left out of the comparison.)
            let rows = after.html.replacingOccurrences(of: " <span class=\"badge ok\">Đang có hiệu lực</span>", with: "")
            #expect(rows.contains("<tr><td>Hộ cận nghèo</td><td>01/07/2026</td><td>nay</td>"), "the new status, open-ended")
            #expect(rows.contains("<tr><td>Hộ nghèo</td><td>01/01/2026</td><td>30/06/2026</td>"), "the earlier one now ends the day before")
            #expect(after.html.contains("88/QĐ-UBND"))

            let overlap = try await browser.post(
                "/households/\(id)/statuses",
                [
                    ("_csrf", token), ("status", "poor"), ("valid_from", "01/03/2026"), ("decision_ref", "99/QĐ-UBND"),
                ]
            )
            #expect(overlap.status == .conflict)
            #expect(
                overlap.html.contains("Khoảng thời gian trùng với tình trạng &#39;Hộ cận nghèo&#39;")
                    || overlap.html.contains("Khoảng thời gian trùng với tình trạng"),
                "the API's message"
            )
            #expect(
                overlap.html.contains("id=\"f-valid_from\"") && overlap.html.contains("value=\"01/03/2026\"")
                    && overlap.html.contains("aria-invalid=\"true\"")
            )
            #expect(overlap.html.contains("value=\"99/QĐ-UBND\""), "what was typed is kept")
            let reversed = try await browser.post(
                "/households/\(id)/statuses",
                [
                    ("_csrf", token), ("status", "poor"), ("valid_from", "01/09/2026"), ("valid_to", "01/08/2026"),
                ]
            )
            #expect(reversed.status == .unprocessableContent && reversed.html.contains("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
            #expect(try await rowCount("household_statuses", url: url) == 2)
            #expect(try await browser.get("/households/999999").status == .notFound)

            try await setWebPassword("viewer", SignInTests.password, url: url)
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let read = try await viewer.get("/households/\(id)")
            #expect(read.status == .ok && read.html.contains("Hộ cận nghèo") && !read.html.contains("Ghi nhận tình trạng mới"))
            #expect(try await viewer.get("/households/new").status == .forbidden)
            let refused = try await viewer.post(
                "/households/\(id)/statuses",
                [("_csrf", read.csrf ?? ""), ("status", "poor"), ("valid_from", "01/01/2027")]
            )
            #expect(refused.status == .forbidden)
            #expect(try await rowCount("household_statuses", url: url) == 2)
        }
    }
}
