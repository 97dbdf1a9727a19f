import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

/// A minimal browser over the test client: keeps cookies, reads forms' CSRF tokens, posts forms.
final class WebBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// Headers sent with every request (e.g. `X-Forwarded-Proto`).
    var extraHeaders = HTTPFields()

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let html: String
        /// The body as bytes, for a download.
        var bytes: [UInt8] = []
        var location: String? { self.headers[.location] }
        /// The value of the first hidden `_csrf` field.
        var csrf: String? { self.hidden("_csrf") }

        func hidden(_ name: String) -> String? {
            guard let range = self.html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            let rest = self.html[range.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }

        /// Every `Set-Cookie` header, whole.
        var setCookies: [String] { self.headers[values: .setCookie] }

        /// The template values the page was drawn without (the test app renders strictly); nil when none.
        var missingTemplateValues: String? { self.headers[WebRenderer.missingValuesHeader] }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        try await self.send(.get, uri, body: nil)
    }

    /// Posts `fields` urlencoded (add `_csrf` yourself: tests also post without one).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await self.send(.post, uri, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Posts `fields` and one file as `multipart/form-data`, as a browser sends an upload form.
    @discardableResult
    func upload(_ uri: String, _ fields: [(String, String)], file: (field: String, name: String, content: String)) async throws -> Page {
        let boundary = "----jobmatchtest\(UInt64.random(in: 1...UInt64.max))"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n"
        body += file.content + "\r\n--\(boundary)--\r\n"
        return try await self.send(.post, uri, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, contentType: String? = nil) async throws -> Page {
        var headers = self.extraHeaders
        if let contentType { headers[.contentType] = contentType }
        if !self.cookies.isEmpty { headers[.cookie] = self.cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = try await self.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { self.cookies[name] = nil } else { self.cookies[name] = value }
        }
        let page = Page(status: response.status, headers: response.headers, html: String(buffer: response.body), bytes: Array(buffer: response.body))
        // Every page any test opens is checked: a missing template value fails the test that met it.
        if let missing = page.missingTemplateValues { Issue.record("\(method) \(uri) drew a template without values: \(missing)") }
        return page
    }

    /// Signs in through the form; returns the page the form answered with.
    @discardableResult
    func signIn(_ username: String, _ password: String, next: String = "") async throws -> Page {
        let form = try await self.get("/sign-in")
        return try await self.post("/sign-in", [("_csrf", form.csrf ?? ""), ("next", next), ("username", username), ("password", password)])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
    }
}

/// Sets web passwords in tests (bcrypt at the cheapest cost).
func setWebPassword(_ username: String, _ password: String, url: String) async throws {
    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        var policy = WebSessionPolicy()
        policy.bcryptCost = 4
        let problem = try await WebSessionStore(client: client, logger: TestCluster.logger, policy: policy)
            .setPassword(username: username, password: password, by: nil)
        precondition(problem == nil, problem ?? "")
    }
}
