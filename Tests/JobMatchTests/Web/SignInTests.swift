import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

/// Sign-in to the staff web app: passwords, sessions in PostgreSQL, cookies, CSRF, throttling,
/// timeouts and sign-out, each refused the way a browser would meet it.
@Suite("Web app: sign-in, sessions, CSRF")
struct SignInTests {
    static let password = "Lua-gao-2026"

    @Test("a page without a session sends the browser to sign in, and back to the page afterwards")
    func signInAndBack() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            let away = try await browser.get("/")
            #expect(away.status == .seeOther)
            #expect(away.location == "/sign-in?next=/")
            let form = try await browser.get("/sign-in?next=/")
            #expect(form.status == .ok)
            #expect(form.html.contains("Đăng nhập") && form.html.contains("lang=\"vi\""))
            #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let signedIn = try await browser.post(
                "/sign-in",
                [
                    ("_csrf", form.csrf ?? ""), ("next", "/"), ("username", "officer"),
                    ("password", Self.password),
                ]
            )
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/")
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("jm_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain http: a Secure cookie would never come back")
            let dashboard = try await browser.get("/")
            #expect(dashboard.status == .ok)
            #expect(dashboard.html.contains("<h1>Tổng quan</h1>"))
            #expect(dashboard.html.contains("Cán bộ"))
            // Only the hash of the cookie's secret is stored.
            let secret = try #require(browser.cookies["jm_session"])
            let stored = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.query("SELECT encode(secret_hash, 'hex') FROM staff_sessions", logger: TestCluster.logger)
                    .decode(String.self).collect()
            }
            #expect(stored.count == 1 && !stored[0].contains(secret))
        }
    }

    @Test("a wrong password or unknown account is refused with one message; the next parameter never leaves the site")
    func refusedAndSafeNext() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            for (user, password) in [("officer", "Sai-mat-khau-1"), ("nobody", Self.password), ("viewer", Self.password)] {
                let page = try await browser.signIn(user, password)
                #expect(page.status == .unauthorized, "\(user)")
                #expect(page.html.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
                #expect(browser.cookies["jm_session"] == nil)
            }
            let page = try await browser.signIn("officer", Self.password, next: "//evil.example/x")
            #expect(page.location == "/")
        }
    }

    @Test("forms without the right CSRF token are refused and change nothing")
    func csrf() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            _ = try await browser.get("/sign-in")
            let noToken = try await browser.post("/sign-in", [("username", "officer"), ("password", Self.password)])
            #expect(noToken.status == .forbidden)
            #expect(browser.cookies["jm_session"] == nil)
            let otherToken = try await browser.post("/sign-in", [("_csrf", "jmw_forged"), ("username", "officer"), ("password", Self.password)])
            #expect(otherToken.status == .forbidden)
            try await browser.signIn("officer", Self.password)
            let real = try #require(try await browser.get("/").csrf)
            let sameLength = String(real.dropLast()) + (real.hasSuffix("A") ? "B" : "A")
            #expect(try await browser.post("/sign-out", [("_csrf", sameLength)]).status == .forbidden, "a token of the right length")
            let signOutForged = try await browser.post("/sign-out", [("_csrf", "jmw_forged")])
            #expect(signOutForged.status == .forbidden)
            #expect(signOutForged.html.contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"))
            #expect(try await browser.get("/").status == .ok, "still signed in")
            // Another site's page posting with the cookie: refused by origin even with a token.
            let dashboard = try await browser.get("/")
            browser.extraHeaders[.origin] = "https://evil.example"
            let crossSite = try await browser.post("/sign-out", [("_csrf", dashboard.csrf ?? "")])
            #expect(crossSite.status == .forbidden)
            #expect(try await rowCount("staff_sessions WHERE ended_at IS NULL", url: url) == 1)
        }
    }

    @Test("sign-out ends the session: the same cookie replayed opens nothing")
    func signOut() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", Self.password)
            let secret = try #require(browser.cookies["jm_session"])
            let dashboard = try await browser.get("/")
            let out = try await browser.post("/sign-out", [("_csrf", dashboard.csrf ?? "")])
            #expect(out.status == .seeOther && out.location == "/sign-in")
            #expect(browser.cookies["jm_session"] == nil)
            browser.cookies["jm_session"] = secret
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await rowCount("staff_sessions WHERE ended_reason = 'signed_out'", url: url) == 1)
            #expect(try await rowCount("audit_log WHERE action IN ('sign_in', 'sign_out')", url: url) == 2)
        }
    }

    @Test("idle and absolute timeouts, a password change and a deactivated account each end a session")
    func timeouts() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            for ending in [
                "UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes'",
                "UPDATE staff_sessions SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 hour'",
                "UPDATE staff_users SET is_active = false WHERE username = 'officer'",
            ] {
                try await execute("UPDATE staff_users SET is_active = true", url: url)
                try await browser.signIn("officer", Self.password)
                #expect(try await browser.get("/").status == .ok)
                try await execute(ending, url: url)
                #expect(try await browser.get("/").status == .seeOther, "\(ending)")
            }
            try await execute("UPDATE staff_users SET is_active = true", url: url)
            try await browser.signIn("officer", Self.password)
            try await setWebPassword("officer", "Ca-phe-sua-da-9", url: url)
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await browser.signIn("officer", "Ca-phe-sua-da-9").status == .seeOther)
        }
    }

    @Test("a page view marks the session used at most once a minute, and a view after a minute moves the idle limit on")
    func lastSeenThrottle() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", Self.password)
            try await execute("UPDATE staff_sessions SET last_seen_at = now() - interval '30 seconds'", url: url)
            #expect(try await browser.get("/").status == .ok)
            #expect(
                try await rowCount("staff_sessions WHERE last_seen_at < now() - interval '29 seconds'", url: url) == 1,
                "not written again within a minute"
            )
            try await execute("UPDATE staff_sessions SET last_seen_at = now() - interval '29 minutes'", url: url)
            #expect(try await browser.get("/").status == .ok)
            #expect(
                try await rowCount("staff_sessions WHERE last_seen_at > now() - interval '1 minute'", url: url) == 1,
                "marked used after a minute"
            )
            try await execute("UPDATE staff_sessions SET last_seen_at = last_seen_at - interval '29 minutes'", url: url)
            #expect(try await browser.get("/").status == .ok, "the idle limit counts from the last mark")
        }
    }

    @Test("signing in again starts a new session and ends the old one")
    func rotation() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", Self.password)
            let first = try #require(browser.cookies["jm_session"])
            try await browser.signIn("officer", Self.password)
            let second = try #require(browser.cookies["jm_session"])
            #expect(first != second)
            browser.cookies["jm_session"] = first
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await rowCount("staff_sessions WHERE ended_reason = 'signed_in_again'", url: url) == 1)
        }
    }

    @Test("five failures in a row for an account and the sixth attempt is refused, even with the right password")
    func throttled() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            for _ in 0..<5 { #expect(try await browser.signIn("officer", "Sai-mat-khau-1").status == .unauthorized) }
            let page = try await browser.signIn("officer", Self.password)
            #expect(page.status == .tooManyRequests)
            #expect(page.html.contains("Đã nhập sai quá nhiều lần"))
            #expect(browser.cookies["jm_session"] == nil)
            // Another account is not locked by it.
            try await setWebPassword("viewer", Self.password, url: url)
            #expect(try await browser.signIn("viewer", Self.password).status == .seeOther)
        }
    }

    @Test("forty wrong passwords at once: at most the allowed number are checked, the rest refused; hammering does not lengthen the lock-out")
    func parallelBurst() async throws {
        try await withTestApp { client, _, url in
            // setup: one sign-in form (its token cookie) shared by the whole burst
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            let form = try await browser.get("/sign-in")
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let body = "_csrf=\(form.csrf ?? "")&username=officer&password=Sai-mat-khau-1"
            // act: 40 at once
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body)).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            // verify: five passwords checked, 35 refused unchecked
            let maximum = WebSessionPolicy().maximumFailures
            #expect(statuses.filter { $0 == .unauthorized }.count == maximum, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 40 - maximum, "\(statuses.map(\.code))")
            #expect(try await rowCount("sign_in_attempts WHERE NOT throttled", url: url) == maximum)
            // Ten minutes later (still locked) the real user tries five more times, refused each time ...
            try await execute("UPDATE sign_in_attempts SET attempted_at = attempted_at - interval '10 minutes'", url: url)
            for _ in 0..<5 { #expect(try await browser.signIn("officer", Self.password).status == .tooManyRequests) }
            // ... and once the window of the five failures has passed, signs in: the refusals did not extend it.
            try await execute("UPDATE sign_in_attempts SET attempted_at = attempted_at - interval '6 minutes'", url: url)
            #expect(try await browser.signIn("officer", Self.password).status == .seeOther)
        }
    }

    @Test("after sign-in only a path of this service is followed: tabs, newlines, backslashes and encoded slashes go home")
    func openRedirect() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            // The issue's case from the link itself: the form does not even carry it.
            #expect(try await browser.get("/sign-in?next=/%09/evil.example").hidden("next") == "")
            // As posted (the form's field, decoded once): every one of these goes to "/".
            let hostile = [
                "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "\\/evil.example", "/\\/evil.example",
                "/%09/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example", "/%5c/evil.example", "/%5C%5Cevil.example",
                "/%2f/evil.example", "/%2F%2Fevil.example", "//evil.example", "///evil.example", "/x//evil.example",
                "https://evil.example", "/javascript:alert(1)", "/ /evil.example", "/%", "/%g0", "/%25%30%39", "/\u{00A0}/evil.example",
            ]
            for next in hostile {
                #expect(SignInRoutes.safeNext(next) == nil, "\(next.debugDescription)")
                #expect(try await browser.signIn("officer", Self.password, next: next).location == "/", "\(next.debugDescription)")
            }
            for next in ["/workers/12", "/workers?page=2&q=nguyen", "/vacancies/3/candidates", "/a%20b"] {
                #expect(SignInRoutes.safeNext(next) == next)
            }
            #expect(try await browser.signIn("officer", Self.password, next: "/workers/12").location == "/workers/12")
        }
    }

    @Test("a sign-in post with an empty token and no sign-in cookie is refused (login CSRF)")
    func emptyTokenRefused() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            #expect(try await browser.post("/sign-in", [("_csrf", ""), ("username", "officer"), ("password", Self.password)]).status == .forbidden)
            #expect(try await browser.post("/sign-in", [("username", "officer"), ("password", Self.password)]).status == .forbidden)
            browser.cookies["jm_signin"] = ""
            #expect(try await browser.post("/sign-in", [("_csrf", ""), ("username", "officer"), ("password", Self.password)]).status == .forbidden)
            #expect(browser.cookies["jm_session"] == nil)
            #expect(try await rowCount("staff_sessions", url: url) == 0)
        }
    }

    @Test("behind a trusted proxy the client is the first untrusted hop of X-Forwarded-For, read from the right")
    func forwardedFor() {
        let cases: [(peer: String?, headers: [String], expected: String?)] = [
            ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
            // The client's own claim (left) is skipped past: the proxy appended what it saw.
            ("127.0.0.1", ["198.51.100.1, 203.0.113.7"], "203.0.113.7"),
            // Two proxies (both private) in front: their entries are skipped.
            ("10.0.0.2", ["198.51.100.1, 203.0.113.7, 10.0.0.1"], "203.0.113.7"),
            // Several headers are one list, in order.
            ("10.0.0.2", ["198.51.100.1", "203.0.113.7", "192.168.1.1, 172.16.0.1"], "203.0.113.7"),
            ("::1", ["2001:db8::7", "::ffff:10.1.1.1"], "2001:db8::7"),
            // Only private entries, or none: the peer.
            ("127.0.0.1", ["10.0.0.1, 192.168.0.9"], "127.0.0.1"),
            ("127.0.0.1", [], "127.0.0.1"),
            // A public peer is not a proxy to believe, whatever it says.
            ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),
        ]
        for (peer, headers, expected) in cases {
            #expect(SignInRoutes.clientAddress(peer: peer, forwardedFor: headers, trustProxy: true) == expected, "\(peer ?? "-") \(headers)")
        }
        #expect(SignInRoutes.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"], trustProxy: false) == "127.0.0.1")
    }

    @Test("staff change their own password: the current one asked, the policy applied, their other sessions ended, audited")
    func ownPassword() async throws {
        try await withTestApp { client, _, url in
            // setup: the viewer signed in on two browsers
            try await setWebPassword("viewer", Self.password, url: url)
            let here = WebBrowser(client)
            let elsewhere = WebBrowser(client)
            try await here.signIn("viewer", Self.password)
            try await elsewhere.signIn("viewer", Self.password)
            let dashboard = try await here.get("/")
            #expect(dashboard.html.contains("href=\"/account/password\""), "under the staff's own menu")
            let form = try await here.get("/account/password")
            #expect(form.status == .ok && form.html.contains("Mật khẩu hiện tại"))
            let token = form.csrf ?? ""
            // act and verify: refusals, each next to its field, changing nothing
            let wrong = try await here.post(
                "/account/password",
                [
                    ("_csrf", token), ("current_password", "Sai-mat-khau-1"),
                    ("password", "Ca-phe-sua-da-9"), ("password_again", "Ca-phe-sua-da-9"),
                ]
            )
            #expect(wrong.status == .unprocessableContent && wrong.html.contains("Mật khẩu hiện tại không đúng."))
            #expect(!wrong.html.contains("Sai-mat-khau-1") && !wrong.html.contains("Ca-phe-sua-da-9"), "passwords are never shown again")
            let weak = try await here.post(
                "/account/password",
                [
                    ("_csrf", token), ("current_password", Self.password),
                    ("password", "12345678"), ("password_again", "12345678"),
                ]
            )
            #expect(weak.status == .unprocessableContent)
            let mismatch = try await here.post(
                "/account/password",
                [
                    ("_csrf", token), ("current_password", Self.password),
                    ("password", "Ca-phe-sua-da-9"), ("password_again", "Ca-phe-sua-da-8"),
                ]
            )
            #expect(mismatch.status == .unprocessableContent && mismatch.html.contains("Hai lần nhập mật khẩu không giống nhau."))
            #expect(try await elsewhere.get("/").status == .ok, "nothing changed yet")
            let changed = try await here.post(
                "/account/password",
                [
                    ("_csrf", token), ("current_password", Self.password),
                    ("password", "Ca-phe-sua-da-9"), ("password_again", "Ca-phe-sua-da-9"),
                ]
            )
            #expect(changed.status == .seeOther && changed.location == "/account/password?done=1")
            #expect(try await here.get("/").status == .ok, "this session goes on")
            #expect(try await elsewhere.get("/").status == .seeOther, "the other session ended")
            #expect(try await rowCount("audit_log WHERE action = 'change_own_password'", url: url) == 1)
            #expect(try await WebBrowser(client).signIn("viewer", Self.password).status == .unauthorized)
            #expect(try await WebBrowser(client).signIn("viewer", "Ca-phe-sua-da-9").status == .seeOther)
        }
    }

    @Test("guessing the current password on the change form is throttled like signing in")
    func ownPasswordThrottled() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", Self.password)
            let token = try await browser.get("/account/password").csrf ?? ""
            for _ in 0..<WebSessionPolicy().maximumFailures {
                let guess = try await browser.post(
                    "/account/password",
                    [
                        ("_csrf", token), ("current_password", "Sai-mat-khau-1"),
                        ("password", "Ca-phe-sua-da-9"), ("password_again", "Ca-phe-sua-da-9"),
                    ]
                )
                #expect(guess.status == .unprocessableContent)
            }
            let refused = try await browser.post(
                "/account/password",
                [
                    ("_csrf", token), ("current_password", Self.password),
                    ("password", "Ca-phe-sua-da-9"), ("password_again", "Ca-phe-sua-da-9"),
                ]
            )
            #expect(refused.status == .tooManyRequests, "even the right current password, once throttled")
            #expect(try await rowCount("audit_log WHERE action = 'change_own_password'", url: url) == 0)
        }
    }

    @Test("behind a TLS proxy the cookie is Secure; names are escaped; a viewer reads and searches")
    func secureAndViewer() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("viewer", Self.password, url: url)
            try await execute("UPDATE staff_users SET display_name = '<script>alert(1)</script> Lê Thị Hà' WHERE username = 'viewer'", url: url)
            let browser = WebBrowser(client)
            browser.extraHeaders[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let page = try await browser.signIn("viewer", Self.password)
            #expect(page.setCookies.first { $0.hasPrefix("jm_session=") }?.contains("Secure") == true)
            let dashboard = try await browser.get("/")
            #expect(dashboard.status == .ok)
            #expect(!dashboard.html.contains("<script>alert(1)</script>"))
            #expect(dashboard.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Lê Thị Hà"))
            let search = try await browser.post("/workers", [("_csrf", dashboard.csrf ?? ""), ("q", "nguyen")])
            #expect(search.status == .ok, "searching only reads")
            #expect(try await browser.post("/sign-out", [("_csrf", dashboard.csrf ?? "")]).status == .seeOther)
        }
    }

    @Test("behind a trusted proxy, only a proxy on loopback or a private network may name the client's address")
    func trustedProxyAddresses() {
        for local in ["127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.20", "fd12::1"] {
            #expect(SignInRoutes.isLocal(local), "\(local)")
        }
        for remote in ["8.8.8.8", "172.32.0.1", "172.15.0.1", "193.168.1.1", "2001:db8::1", "1.10.0.0"] {
            #expect(!SignInRoutes.isLocal(remote), "\(remote)")
        }
    }

    @Test("sign-in attempts and sessions over for more than 90 days are deleted by the retention run, not by a sign-in; recent ones stay")
    func oldRecordsPurged() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", Self.password, url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    """
                    INSERT INTO sign_in_attempts (username, client_address, succeeded, attempted_at)
                    VALUES ('officer', '10.0.0.1', false, now() - interval '91 days'), ('officer', '10.0.0.1', false, now() - interval '10 days')
                    """,
                    logger: TestCluster.logger
                )
                try await db.query(
                    """
                    INSERT INTO staff_sessions (secret_hash, staff_user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, ended_reason)
                    SELECT sha256(convert_to(n::text, 'UTF8')), id, repeat('x', 40), now() - interval '100 days', now() - interval '100 days',
                           now() - interval '99 days', CASE WHEN n = 1 THEN now() - interval '95 days' ELSE now() - interval '5 days' END,
                           'signed_out'
                    FROM staff_users, generate_series(1, 2) n WHERE username = 'officer'
                    """,
                    logger: TestCluster.logger
                )
            }
            let browser = WebBrowser(client)
            #expect(try await browser.signIn("officer", Self.password).status == .seeOther)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await RetentionService(client: db, logger: TestCluster.logger, config: RetentionConfig()).runOnce()
            }
            #expect(try await rowCount("sign_in_attempts WHERE attempted_at < now() - interval '90 days'", url: url) == 0)
            #expect(try await rowCount("sign_in_attempts WHERE attempted_at < now() - interval '9 days'", url: url) == 1, "the recent one stays")
            #expect(
                try await rowCount("staff_sessions WHERE created_at < now() - interval '99 days'", url: url) == 1,
                "the one ended 5 days ago stays"
            )
        }
    }
}
