import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The pages themselves: what they show, in Vietnamese, to whom.
@Suite("Web app: dashboard and worker search")
struct PagesTests {
    @Test("the dashboard shows each target's count, percent and chart with Vietnamese number formats, and what needs attention")
    func dashboard() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household())
            let workerID = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(household: Int64(household)))
            let placed = try await client.json(
                .post,
                "/api/staff/placements",
                token: tokens.officer,
                [
                    "worker_id": workerID, "channel": "self_employment", "start_date": LocalDate.today().description,
                    "evidence": "Giấy xác nhận của UBND xã",
                ]
            )
            #expect(placed.status == .created, "\(placed.body)")
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)
            let page = try await browser.get("/")
            #expect(page.status == .ok)
            #expect(page.html.contains("<strong>1</strong> / 95.000 người"), "the 2026-2030 jobs target, counted once")
            #expect(page.html.contains("<svg class=\"chart\""))
            #expect(page.html.contains("Hộ nghèo"))
            #expect(page.html.contains("Không có vị trí nào sắp hết hạn"))
            #expect(page.missingTemplateValues == nil, "every template value given")
        }
    }

    @Test("worker search finds a Vietnamese name typed without diacritics, posted (never in the URL), with the CCCD masked")
    func workerSearch() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household())
            var body = Sample.worker(household: Int64(household))
            body["full_name"] = "Trần Thị Ngọc Ánh"
            let created = try await client.json(.post, "/api/staff/workers", token: tokens.officer, body)
            #expect(created.status == .created, "\(created.body)")
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let form = try await browser.get("/workers")
            #expect(form.html.contains("data-live-search=\"/workers/search\""))
            let page = try await browser.post("/workers", [("_csrf", form.csrf ?? ""), ("q", "ngoc anh")])
            #expect(page.status == .ok)
            #expect(page.html.contains("Trần Thị Ngọc Ánh"))
            #expect(!page.html.contains("093190123456"), "CCCD masked")
            let fragment = try await browser.post("/workers/search", [("_csrf", form.csrf ?? ""), ("q", "tran thi")])
            #expect(fragment.html.contains("Trần Thị Ngọc Ánh") && !fragment.html.contains("<html"))
            let none = try await browser.post("/workers/search", [("_csrf", form.csrf ?? ""), ("q", "không có ai")])
            #expect(none.html.contains("Không tìm thấy người lao động nào."))
            #expect(try await browser.post("/workers/search", [("q", "tran")]).status == .forbidden, "no CSRF token")
        }
    }

    @Test("every page needs a session and every form its token, for every role")
    func everyPageAndForm() async throws {
        try await withTestApp { client, _, url in
            let pages = ["/", "/workers"]
            let forms = ["/workers", "/workers/search", "/sign-out"]
            let anonymous = WebBrowser(client)
            for page in pages {
                let answer = try await anonymous.get(page)
                #expect(answer.status == .seeOther && answer.location?.hasPrefix("/sign-in?next=") == true, "\(page)")
            }
            for form in forms {
                #expect(try await anonymous.post(form, [("_csrf", "jmw_x"), ("q", "an")]).location == "/sign-in", "\(form) without a session")
            }
            for role in ["admin", "officer", "viewer"] {
                try await setWebPassword(role, SignInTests.password, url: url)
                let browser = WebBrowser(client)
                try await browser.signIn(role, SignInTests.password)
                for page in pages { #expect(try await browser.get(page).status == .ok, "\(role) \(page)") }
                let token = try #require(try await browser.get("/").csrf)
                for form in forms {
                    #expect(try await browser.post(form, [("q", "an")]).status == .forbidden, "\(role) \(form) without a token")
                }
                #expect(try await browser.post("/workers", [("_csrf", token), ("q", "an")]).status == .ok, "\(role) searches")
                #expect(try await browser.post("/sign-out", [("_csrf", token)]).status == .seeOther, "\(role) signs out")
            }
        }
    }

    @Test("the stylesheet and script are served from the service itself; an unknown page is a 404")
    func staticFiles() async throws {
        try await withTestApp { client, _, _ in
            let browser = WebBrowser(client)
            let css = try await browser.get("/static/app.css")
            #expect(css.status == .ok && css.html.contains("--brand"))
            let js = try await browser.get("/static/app.js")
            #expect(js.status == .ok && js.html.contains("data-live-search"))
            #expect(try await browser.get("/static/nothing.css").status == .notFound)
        }
    }
}
