import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Employers, their API keys, webhooks and deliveries through the pages (the API's rules and messages).
@Suite("Web app: employer pages")
struct EmployerPagesTests {
    @Test(
        "register an employer: an invalid form comes back with the message at its field and what was typed; a valid one opens the record and shows in the list"
    )
    func register() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let empty = try await browser.get("/employers")
            #expect(empty.status == .ok && empty.html.contains("Chưa có doanh nghiệp nào.") && empty.html.contains("href=\"/employers/new\""))
            let form = try await browser.get("/employers/new")
            #expect(form.status == .ok && form.html.contains("Phường Vị Thanh"), "the home province's wards are offered")
            let token = try #require(form.csrf)
            let badTax = try await browser.post(
                "/employers/new",
                [
                    ("_csrf", token), ("name", "Công ty TNHH May mặc Ngã Bảy"), ("tax_code", "0100109107"), ("ward_code", Sample.ward),
                ]
            )
            #expect(badTax.status == .unprocessableContent && badTax.html.contains("sai chữ số kiểm tra"))
            #expect(badTax.html.contains("value=\"Công ty TNHH May mặc Ngã Bảy\"") && badTax.html.contains("value=\"\(Sample.ward)\" selected"))
            #expect(badTax.html.contains("id=\"f-tax_code\" name=\"tax_code\" type=\"text\" value=\"0100109107\""))
            let noWard = try await browser.post(
                "/employers/new",
                [("_csrf", token), ("name", "Công ty TNHH May mặc Ngã Bảy"), ("tax_code", "0100109106")]
            )
            #expect(noWard.status == .unprocessableContent && noWard.html.contains("Hãy chọn xã, phường nơi doanh nghiệp đặt trụ sở."))
            let badEmail = try await browser.post(
                "/employers/new",
                [
                    ("_csrf", token), ("name", "Công ty TNHH May mặc Ngã Bảy"), ("tax_code", "0100109106"), ("ward_code", Sample.ward),
                    ("contact_email", "tuyendung.ngabay"),
                ]
            )
            #expect(badEmail.status == .unprocessableContent && badEmail.html.contains("Email liên hệ không hợp lệ."))

            let made = try await browser.post(
                "/employers/new",
                [
                    ("_csrf", token), ("name", "Công ty TNHH May mặc Ngã Bảy"), ("tax_code", "0100109106"), ("ward_code", Sample.ward),
                    ("sector", "Dệt may"), ("contact_name", "Phạm Thị Kiều"), ("contact_phone", "0292 3456 789"),
                    ("contact_email", "tuyendung@ngabay.vn"),
                ]
            )
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            #expect(location.hasPrefix("/employers/") && location.hasSuffix("?done=created"))
            let record = try await browser.get(location)
            #expect(record.status == .ok && record.html.contains("Đã đăng ký doanh nghiệp."))
            #expect(
                record.html.contains("<h1>Công ty TNHH May mặc Ngã Bảy</h1>") && record.html.contains("0100109106")
                    && record.html.contains("Phường Vị Thanh")
            )
            #expect(record.html.contains("Dệt may") && record.html.contains("Phạm Thị Kiều") && record.html.contains("tuyendung@ngabay.vn"))
            #expect(record.html.contains("Doanh nghiệp chưa có khóa API nào.") && record.html.contains("Chưa đăng ký webhook nào."))
            #expect(record.missingTemplateValues == nil, "every template value given")

            let twice = try await browser.post(
                "/employers/new",
                [
                    ("_csrf", token), ("name", "Công ty khác"), ("tax_code", "0100109106"), ("ward_code", Sample.ward),
                ]
            )
            #expect(twice.status == .conflict && twice.html.contains("Mã số thuế 0100109106 đã được đăng ký"))
            let list = try await browser.get("/employers")
            #expect(list.html.contains("Công ty TNHH May mặc Ngã Bảy") && list.html.contains("0100109106") && list.html.contains("Phường Vị Thanh"))
        }
    }

    @Test("a key is shown once in the answer to the form, never in a URL; rotating shows the new one once; revoking stops it")
    func keys() async throws {
        // With the service's credential cache on: a key revoked from a page is forgotten at once.
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/employers/\(employer)")
            let token = try #require(page.csrf)

            let issued = try await browser.post("/employers/\(employer)/keys", [("_csrf", token)])
            #expect(issued.status == .ok && issued.location == nil, "the page itself, not a redirect")
            #expect(issued.html.contains("Khóa API mới") && issued.html.contains("chỉ hiện <strong>một lần</strong>"))
            let key = try #require(Self.newKey(issued.html))
            #expect(try await client.json(.get, "/api/v1/vacancies", token: key).status == .ok, "the key opens the employer API")
            let again = try await browser.get("/employers/\(employer)")
            #expect(!again.html.contains(key), "never shown again")
            #expect(again.html.contains("Đang hoạt động") && again.html.contains("<code>"), "listed by its prefix")

            let keyIDs = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("SELECT id FROM employer_api_keys WHERE employer_id = \(Int64(employer)) ORDER BY id", logger: TestCluster.logger)
                    .decode(Int64.self).collect()
            }
            let first = try #require(keyIDs.first)
            let rotated = try await browser.post("/employers/\(employer)/keys/\(first)/rotate", [("_csrf", token)])
            #expect(
                rotated.status == .ok && rotated.html.contains("thay cho khóa số \(first)") && rotated.html.contains("Khóa cũ đã ngừng hoạt động.")
            )
            let second = try #require(Self.newKey(rotated.html))
            #expect(second != key)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: key).status == .unauthorized, "the old key stops at once")
            #expect(try await client.json(.get, "/api/v1/vacancies", token: second).status == .ok)
            #expect(rotated.html.contains("Đã thu hồi"), "the old key is listed as revoked")

            let other = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: "0300588569"))
            let live = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    "SELECT id FROM employer_api_keys WHERE employer_id = \(Int64(employer)) AND revoked_at IS NULL",
                    logger: TestCluster.logger
                ).first(Int64.self)
            }
            let liveID = try #require(live)
            #expect(
                try await browser.post("/employers/\(other)/keys/\(liveID)/revoke", [("_csrf", token)]).status == .notFound,
                "a key is revoked only through its own employer"
            )
            let revoked = try await browser.post("/employers/\(employer)/keys/\(liveID)/revoke", [("_csrf", token)])
            #expect(revoked.status == .seeOther && revoked.location == "/employers/\(employer)?done=revoked")
            #expect(try await client.json(.get, "/api/v1/vacancies", token: second).status == .unauthorized)
            let after = try await browser.get(revoked.location ?? "")
            #expect(
                after.html.contains("Đã thu hồi khóa API: khóa này không dùng được nữa.")
                    && !after.html.contains("<span class=\"badge ok\">Đang hoạt động</span>")
            )
            #expect(!after.html.contains("/keys/\(liveID)/rotate"), "a revoked key cannot be rotated from the page")
        }
    }

    @Test("the employer page lists its vacancies, webhooks and recent deliveries; a viewer reads it but may not issue keys")
    func webhooksAndViewer() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
            let id = Int64(employer)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let logger = TestCluster.logger
                try await db.query(
                    """
                    INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date)
                    VALUES (\(id), 'Thợ hàn bậc 3', '7212', \(Sample.ward), 4, '2099-01-31')
                    """,
                    logger: logger
                )
                let hook = try await db.query(
                    """
                    INSERT INTO employer_webhooks (employer_id, url, secret)
                    VALUES (\(id), 'https://hr.ngabay.vn/hooks/jobmatch', 'whsec_0123456789abcdef0123456789abcdef') RETURNING id
                    """,
                    logger: logger
                ).first(Int64.self)!
                try await db.query(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event, payload, attempts, last_status, delivered_at)
                    VALUES (\(hook), 'referral.created', '{}', 1, 200, now())
                    """,
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event, payload, attempts, last_status, last_error, gave_up_at)
                    VALUES (\(hook), 'referral.created', '{}', 8, 503, 'Service Unavailable', now())
                    """,
                    logger: logger
                )
            }
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)
            let list = try await browser.get("/employers")
            #expect(list.status == .ok && list.html.contains("<td class=\"num\">1</td>"), "one open vacancy")
            #expect(!list.html.contains("href=\"/employers/new\""))
            let page = try await browser.get("/employers/\(employer)")
            #expect(page.status == .ok)
            let vacancy = try #require(
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query("SELECT id FROM vacancies WHERE employer_id = \(id)", logger: TestCluster.logger).first(Int64.self)
                }
            )
            #expect(page.html.contains("<a href=\"/vacancies/\(vacancy)\">Thợ hàn bậc 3</a>") && page.html.contains("0/4"))
            #expect(page.html.contains("https://hr.ngabay.vn/hooks/jobmatch") && page.html.contains("Có người được giới thiệu mới"))
            #expect(page.html.contains("Đã gửi") && page.html.contains("HTTP 200"))
            #expect(page.html.contains("Đã ngừng gửi") && page.html.contains("HTTP 503") && page.html.contains("Service Unavailable"))
            #expect(!page.html.contains("whsec_"), "never the webhook's secret")
            #expect(!page.html.contains("Cấp khóa API mới"), "no write button for a viewer")
            #expect(try await browser.get("/employers/new").status == .forbidden)
            let token = try #require(page.csrf)
            #expect(try await browser.post("/employers/\(employer)/keys", [("_csrf", token)]).status == .forbidden)
            #expect(try await browser.post("/employers/new", [("_csrf", token), ("name", "X")]).status == .forbidden)
            #expect(try await browser.get("/employers/999999").status == .notFound)
        }
    }

    /// The key shown in the page's read-only field.
    static func newKey(_ html: String) -> String? {
        guard let range = html.range(of: "id=\"new-key\" class=\"secret\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
