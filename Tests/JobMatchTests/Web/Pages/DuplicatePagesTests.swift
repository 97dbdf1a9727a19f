import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Reviewing likely duplicate records: side by side, merged (the API's merge), marked as two
/// people, and a merge undone, through the pages.
@Suite("Web app: duplicate records")
struct DuplicatePagesTests {
    /// Three records of one person: one with a CCCD, two without (one typed without diacritics), all with one phone.
    func records(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> (a: Int, b: Int, c: Int) {
        var first = Sample.worker()
        first["phone"] = "0912345678"
        let a = try await client.created("/api/staff/workers", token: tokens.officer, first)
        var second = Sample.worker()
        second.removeValue(forKey: "cccd")
        second["full_name"] = "Tran Thi Binh"
        second["phone"] = "0912345678"
        let b = try await client.created("/api/staff/workers", token: tokens.officer, second)
        var third = Sample.worker()
        third.removeValue(forKey: "cccd")
        third["sex"] = "female"
        let c = try await client.created("/api/staff/workers", token: tokens.officer, third)
        return (a, b, c)
    }

    @Test(
        "pairs side by side with the fields that agree, identifiers masked; merging keeps the chosen record, a stale form gets the API's message, undo splits them again"
    )
    func mergeAndUndo() async throws {
        try await withTestApp { client, tokens, url in
            let (a, b, c) = try await self.records(client, tokens)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let list = try await browser.get("/workers/duplicates")
            #expect(list.status == .ok && list.html.contains("<h1>Hồ sơ có thể trùng</h1>"), "not taken for /workers/:id")
            #expect(list.html.contains("Có <strong>3</strong> cặp cần xem xét."))
            #expect(list.html.contains("Trùng họ tên (không dấu) và ngày sinh"))
            #expect(list.html.contains("<th scope=\"col\">Hồ sơ số \(a)</th><th scope=\"col\">Hồ sơ số \(b)</th>"))
            #expect(list.html.contains("0931******56") && !list.html.contains("093190123456"), "CCCD masked")
            #expect(list.html.contains("0912****78") && !list.html.contains("0912345678"), "phone masked")
            #expect(list.html.contains("<tr class=\"same\"><th scope=\"row\">Số điện thoại</th>"), "the phones agree")
            #expect(list.html.contains("<tr class=\"same\"><th scope=\"row\">Ngày sinh</th><td>01/05/1990</td>"))
            #expect(list.html.contains("name=\"keep\" value=\"\(a)\" checked"), "the record with a CCCD is suggested")
            #expect(list.missingTemplateValues == nil, "every template value given")
            let token = try #require(list.csrf)

            let noChoice = try await browser.post("/workers/duplicates/merge", [("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(b)")])
            #expect(noChoice.status == .unprocessableContent && noChoice.html.contains("Hãy chọn hồ sơ được giữ lại."))
            #expect(try await rowCount("worker_merges", url: url) == 0)

            let merged = try await browser.post(
                "/workers/duplicates/merge",
                [
                    ("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(b)"), ("keep", "\(a)"), ("reason", "Cùng CCCD trên giấy tờ gốc"),
                ]
            )
            #expect(merged.status == .seeOther && merged.location == "/workers/\(a)?done=merged")
            let gone = try await browser.get("/workers/\(b)")
            #expect(gone.html.contains("Hồ sơ này đã được gộp vào <a href=\"/workers/\(a)\">"))
            #expect(try await rowCount("audit_log WHERE action = 'merge' AND entity_id = '\(a)'", url: url) == 1, "the API's audit")

            // The same form posted again: the API's rule, shown beside the pair (still listed? no: above the list).
            let stale = try await browser.post(
                "/workers/duplicates/merge",
                [
                    ("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(b)"), ("keep", "\(a)"),
                ]
            )
            #expect(stale.status == .conflict && stale.html.contains("Hồ sơ \(b) đã được gộp vào hồ sơ \(a)."))
            // Merging the record that absorbed another into a third: refused by the API, shown at that pair.
            let chain = try await browser.post(
                "/workers/duplicates/merge",
                [
                    ("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(c)"), ("keep", "\(c)"),
                ]
            )
            #expect(chain.status == .conflict && chain.html.contains("Đã có hồ sơ khác được gộp vào hồ sơ \(a)."))
            #expect(chain.html.contains("<h2 id=\"pair-\(a)-\(c)\">"), "the pair is still listed")

            let after = try await browser.get("/workers/duplicates")
            #expect(after.html.contains("Có <strong>1</strong> cặp cần xem xét."), "the merged record left the list")
            #expect(after.html.contains("action=\"/workers/merges/"), "the merge can be undone")
            let mergeID = try #require(after.html.range(of: "action=\"/workers/merges/").map { after.html[$0.upperBound...].prefix { $0.isNumber } })
            let undone = try await browser.post("/workers/merges/\(mergeID)/undo", [("_csrf", token)])
            #expect(undone.status == .seeOther && undone.location == "/workers/duplicates?done=unmerged")
            let split = try await browser.get("/workers/duplicates?done=unmerged")
            #expect(split.html.contains("Đã hủy lần gộp") && split.html.contains("Có <strong>3</strong> cặp cần xem xét."))
            #expect(!(try await browser.get("/workers/\(b)")).html.contains("Hồ sơ này đã được gộp vào"))
            let twice = try await browser.post("/workers/merges/\(mergeID)/undo", [("_csrf", token)])
            #expect(twice.status == .conflict && twice.html.contains("Lần gộp \(mergeID) đã được hủy trước đó."))
        }
    }

    @Test("a pair marked as two people leaves the list; viewers see the list without the forms and cannot post them")
    func dismissAndViewer() async throws {
        try await withTestApp { client, tokens, url in
            let (a, _, c) = try await self.records(client, tokens)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let list = try await browser.get("/workers/duplicates")
            let token = try #require(list.csrf)
            let dismissed = try await browser.post(
                "/workers/duplicates/dismiss",
                [
                    ("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(c)"), ("reason", "Hai chị em sinh đôi"),
                ]
            )
            #expect(dismissed.status == .seeOther && dismissed.location == "/workers/duplicates?done=dismissed")
            let after = try await browser.get("/workers/duplicates?done=dismissed")
            #expect(after.html.contains("Đã ghi nhận hai hồ sơ là của hai người khác nhau"))
            #expect(after.html.contains("Có <strong>2</strong> cặp cần xem xét.") && !after.html.contains("id=\"pair-\(a)-\(c)\""))
            let again = try await browser.post("/workers/duplicates/dismiss", [("_csrf", token), ("first_id", "\(a)"), ("second_id", "\(c)")])
            #expect(again.status == .conflict && again.html.contains("Cặp hồ sơ này đã được đánh dấu là hai người khác nhau."))
            #expect(try await rowCount("audit_log WHERE action = 'dismiss_duplicate'", url: url) == 1)

            try await setWebPassword("viewer", SignInTests.password, url: url)
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let read = try await viewer.get("/workers/duplicates")
            #expect(read.status == .ok && read.html.contains("Có <strong>2</strong> cặp cần xem xét."))
            #expect(!read.html.contains("action=\"/workers/duplicates/merge\"") && !read.html.contains("action=\"/workers/duplicates/dismiss\""))
            #expect(read.html.contains("0931******56") && !read.html.contains("093190123456"))
            let refused = try await viewer.post(
                "/workers/duplicates/merge",
                [
                    ("_csrf", read.csrf ?? ""), ("first_id", "\(a)"), ("second_id", "\(c)"), ("keep", "\(a)"),
                ]
            )
            #expect(refused.status == .forbidden)
            #expect(try await rowCount("worker_merges", url: url) == 0)
        }
    }
}
