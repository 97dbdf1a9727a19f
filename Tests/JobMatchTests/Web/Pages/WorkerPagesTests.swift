import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Registering, reading and editing a worker through the pages (the API's rules and messages).
@Suite("Web app: worker record pages")
struct WorkerPagesTests {
    @Test(
        "register with a Vietnamese name: an invalid form comes back with the message at its field and what was typed; a valid one opens the record"
    )
    func register() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let form = try await browser.get("/workers/new")
            #expect(form.status == .ok && form.html.contains("Phường Vị Thanh"), "the home province's wards are offered")
            let token = try #require(form.csrf)
            let bad = try await browser.post(
                "/workers/new",
                [
                    ("_csrf", token), ("full_name", "Lê Thị Thu Hà"), ("birth_date", "31/02/1995"), ("sex", "female"), ("ward_code", Sample.ward),
                ]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("Hãy nhập ngày theo dạng ngày/tháng/năm"), "the message of the field")
            #expect(bad.html.contains("value=\"Lê Thị Thu Hà\""), "what was typed is kept")
            #expect(bad.html.contains("aria-invalid=\"true\""))
            let badCCCD = try await browser.post(
                "/workers/new",
                [
                    ("_csrf", token), ("full_name", "Lê Thị Thu Hà"), ("birth_date", "05/03/1995"), ("sex", "female"), ("ward_code", Sample.ward),
                    ("cccd", "093395000001"),
                ]
            )
            #expect(badCCCD.status == .unprocessableContent && badCCCD.html.contains("CCCD"), "a CCCD that does not fit the birth year and sex")
            let made = try await browser.post(
                "/workers/new",
                [
                    ("_csrf", token), ("full_name", "Lê Thị Thu Hà"), ("birth_date", "05/03/1995"), ("sex", "female"), ("ward_code", Sample.ward),
                    ("cccd", "093195000001"), ("phone", "0912 345 678"), ("occupation_codes", "7531"), ("occupation_codes", "8153"),
                    ("occupation_other", "7212"), ("consents", "referral"), ("consent_means", "paper_form"), ("willing_abroad", "1"),
                    ("job_seeking_status", "seeking"),
                ]
            )
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            #expect(location.hasPrefix("/workers/") && location.hasSuffix("?done=registered"))
            let record = try await browser.get(location)
            #expect(record.status == .ok)
            #expect(record.html.contains("Lê Thị Thu Hà") && record.html.contains("05/03/1995") && record.html.contains("Đã đăng ký người lao động."))
            #expect(record.html.contains("7531 · Thợ may") && record.html.contains("Giới thiệu việc làm"))
            #expect(record.missingTemplateValues == nil, "every template value given")

            let id = String(location.dropFirst("/workers/".count).prefix { $0.isNumber })
            let edit = try await browser.get("/workers/\(id)/edit")
            #expect(edit.html.contains("value=\"05/03/1995\"") && edit.html.contains("value=\"7531\" checked"))
            let saved = try await browser.post(
                "/workers/\(id)/edit",
                [
                    ("_csrf", token), ("full_name", "Lê Thị Thu Hằng"), ("birth_date", "05/03/1995"), ("sex", "female"), ("ward_code", Sample.ward),
                    ("cccd", "093195000001"), ("job_seeking_status", "employed"),
                ]
            )
            #expect(saved.status == .seeOther && saved.location == "/workers/\(id)?done=saved")
            let after = try await browser.get("/workers/\(id)")
            #expect(after.html.contains("Lê Thị Thu Hằng") && after.html.contains("Đã có việc") && !after.html.contains("7531 · Thợ may"))

            let consent = try await browser.post(
                "/workers/\(id)/consents",
                [("_csrf", token), ("purpose", "data_processing"), ("means", "in_person")]
            )
            #expect(consent.status == .seeOther)
            let again = try await browser.post("/workers/\(id)/consents", [("_csrf", token), ("purpose", "data_processing"), ("means", "in_person")])
            #expect(again.status == .conflict && again.html.contains("còn hiệu lực"), "the API's rule, as a page")
        }
    }
}
