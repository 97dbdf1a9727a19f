import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

/// The headers `SecurityHeadersMiddleware` sets, on every answer the service gives: every route
/// (API answers, pages, redirects, refusals), static files, unknown paths, problem+json errors and
/// error pages.
@Suite("Security headers on every response")
struct SecurityHeadersTests {
    static let expected: [(HTTPField.Name, String)] = [
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
        (
            .contentSecurityPolicy,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        ),
    ]

    /// Records an issue for each header missing or different on `response`; returns how many were checked.
    @discardableResult
    static func check(_ response: TestResponse, _ what: String) -> Int {
        for (name, value) in Self.expected {
            #expect(response.headers[name] == value, "\(what) (\(response.status)): \(name) is \(response.headers[name] ?? "missing")")
        }
        #expect(response.headers[.cacheControl] != nil, "\(what) (\(response.status)): a Cache-Control")
        return 1
    }

    @Test("every route, as a caller it refuses and as one it serves, and every error, static file and unknown path carries the headers")
    func everywhere() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("admin", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            #expect(try await browser.signIn("admin", SignInTests.password).status == .seeOther)
            let cookie = "jm_session=\(try #require(browser.cookies["jm_session"]))"
            let employer = try await TestEmployer.make(client, tokens)

            let routes = try await AuthorizationMatrixTests.registeredRoutes(url: url)
            var checked = 0
            var statuses = Set<Int>()
            for route in routes {
                let method = HTTPRequest.Method(String(route.prefix { $0 != " " }))!
                let path = AuthorizationMatrixTests.concrete(String(route.drop { $0 != " " }.dropFirst())) { _ in "987654" }
                let isEmployer = path.hasPrefix("/api/v1/")
                let body = method == .get ? nil : ByteBuffer(string: "{}")
                // Without a credential: a refusal (401 problem+json, or the redirect to sign-in), or the public answer.
                let anonymous = try await client.execute(uri: path, method: method, headers: [.contentType: "application/json"], body: body)
                checked += Self.check(anonymous, "\(route) without a credential")
                statuses.insert(anonymous.status.code)
                // With the credential of its scope: an answer, a 404 for the missing record, a 400/422 for the empty body.
                var headers: HTTPFields = [.contentType: "application/json", .cookie: cookie]
                headers[.authorization] = "Bearer \(isEmployer ? employer.key : tokens.admin)"
                let served = try await client.execute(uri: path, method: method, headers: headers, body: body)
                checked += Self.check(served, "\(route) with a credential")
                statuses.insert(served.status.code)
                #expect(served.status.code < 500, "\(route): \(served.status)")
                if served.headers[.contentType]?.hasPrefix("application/json") == true || served.headers[.contentType] == "application/problem+json" {
                    #expect(served.headers[.cacheControl] == "no-store", "\(route): API answers are not cached")
                }
            }
            #expect(checked == routes.count * 2)
            for status: Int in [200, 201, 303, 400, 401, 403, 404, 422] {
                #expect(statuses.contains(status), "the walk met a \(status)")
            }

            // Static files (cached, but still with the headers), unknown paths and methods, a 403 page, a 403 and a 413 problem.
            for uri in ["/static/app.css", "/static/app.js"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                Self.check(response, uri)
            }
            for uri in ["/static/none.css", "/no-such-page", "/api/staff/no-such-thing", "/api/v1/no-such-thing", "/static/../Package.swift"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(tokens.admin)"])
                #expect(response.status.code >= 300, "\(uri): \(response.status)")
                Self.check(response, uri)
            }
            Self.check(try await client.execute(uri: "/healthz", method: .delete), "DELETE /healthz")
            Self.check(try await client.execute(uri: "/healthz", method: .head), "HEAD /healthz")
            let problem = try await client.raw(.get, "/api/v1/vacancies", token: tokens.viewer)
            #expect(problem.status == .forbidden && problem.headers[.contentType] == "application/problem+json")
            Self.check(problem, "a 403 problem")
            var big = Sample.vacancy()
            big["description"] = String(repeating: "x", count: 1_100_000)
            let tooLarge = try await client.send(.post, "/api/v1/vacancies", token: employer.key, big)
            #expect(tooLarge.status == .contentTooLarge)
            Self.check(tooLarge, "a 413 problem")
            let undecodable = try await client.raw(.post, "/api/staff/workers", token: tokens.officer, body: "{not json")
            #expect(undecodable.status == .badRequest)
            Self.check(undecodable, "a 400 problem")
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let refusedPage = try await client.execute(
                uri: "/staff",
                method: .get,
                headers: [.cookie: "jm_session=\(try #require(viewer.cookies["jm_session"]))"]
            )
            #expect(refusedPage.status == .forbidden && String(buffer: refusedPage.body).contains("Không có quyền"))
            Self.check(refusedPage, "a 403 page")
            #expect(refusedPage.headers[.cacheControl] == "no-store")
        }
    }
}
