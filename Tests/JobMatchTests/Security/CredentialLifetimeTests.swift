import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Employer API keys and staff API tokens: an expiry date (refused after it like a revoked one),
/// set through the staff API, the pages and the CLI; the last use, written about once a minute.
@Suite("Credentials: expiry and last use")
struct CredentialLifetimeTests {
    /// Asks until the answer is `expected` (at most 5 s): for what another connection's NOTIFY brings.
    static func eventually(_ expected: HTTPResponse.Status, _ ask: () async throws -> HTTPResponse.Status) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            if try await ask() == expected { return true }
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a key and a token past their expiry are refused with 401; the API sets the day, refuses a past one and lists it")
    func expiry() async throws {
        try await withTestApp { client, tokens, url in
            // setup: an employer, a key working through today
            let employer = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer())
            let today = LocalDate.today()
            for (value, field) in [("2020-01-01", "expires_on"), ("2026-02-30", "expires_on"), ("ngày mai", "expires_on")] {
                let refused = try await client.answer(
                    IssuedKey.self,
                    .post,
                    "/api/staff/employers/\(employer)/keys",
                    token: tokens.officer,
                    ["expires_on": value],
                    snakeCase: true
                )
                #expect(refused.status == .unprocessableContent, "\(value)")
                #expect(refused.problem?.field == field)
                #expect(refused.problem?.detail?.contains("Ngày hết hạn") == true, "\(String(describing: refused.problem))")
            }
            let issued = try await client.answer(
                IssuedKey.self,
                .post,
                "/api/staff/employers/\(employer)/keys",
                token: tokens.officer,
                ["expires_on": today.description],
                snakeCase: true
            )
            #expect(issued.status == .created)
            let key = try issued.get().apiKey
            let endless = try await client.issueKey(employer: employer, token: tokens.officer)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: key).status == .ok)
            let listed = try await client.keys(employer: employer, token: tokens.officer)
            #expect(listed.count == 2)
            #expect(listed.last?.expiresAt != nil, "\(listed)")
            #expect(listed.last?.expiresOn == today.description, "the last day, as given")
            #expect(listed.first?.expiresAt == nil, "no expiry: \(listed)")
            #expect(listed.last?.expired == false)
            // a staff token working through today
            let staffToken = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await CredentialStore(client: db, logger: TestCluster.logger).issueStaffToken(username: "viewer", expiresOn: today, by: nil)
            }
            let token = try #require(staffToken?.value)
            #expect(try await client.json(.get, "/api/staff/skills", token: token).status == .ok)
            // act: the day passes
            try await execute(
                "UPDATE employer_api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL",
                url: url
            )
            try await execute(
                "UPDATE staff_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL",
                url: url
            )
            // verify: the cache learns of the change through NOTIFY after commit, so the refusal may take a moment
            #expect(try await Self.eventually(.unauthorized) { try await client.json(.get, "/api/v1/vacancies", token: key).status })
            #expect(try await Self.eventually(.unauthorized) { try await client.json(.get, "/api/staff/skills", token: token).status })
            #expect(try await client.json(.get, "/api/v1/vacancies", token: endless).status == .ok, "a key without expiry still works")
            #expect(try await client.json(.get, "/api/staff/skills", token: tokens.viewer).status == .ok, "the account's other token still works")
            let after = try await client.keys(employer: employer, token: tokens.officer)
            #expect(after.last?.expired == true)
        }
    }

    @Test("a cached caller is refused once its credential's expiry passes, without any change being announced")
    func cachedExpiry() {
        let cache = CredentialCache()
        cache.setListening(true)
        let hash = Data(repeating: 3, count: 32)
        let caller = Principal.employer(employerID: 1, keyID: 9)
        let expiry = Date(timeIntervalSince1970: 2_000_000_000)
        cache.remember(caller, forHash: hash, generation: cache.principal(forHash: hash).generation, credential: .employerKey(9), expiresAt: expiry)
        #expect(cache.entry(forHash: hash, now: expiry.addingTimeInterval(-1)).entry?.principal == caller)
        #expect(cache.entry(forHash: hash, now: expiry).entry == nil)
    }

    /// A key's `last_used_at` and its row version (`xmin` changes with every write of the row).
    static func keyUse(_ keyID: Int, url: String) async throws -> (used: String?, version: String) {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            try await db.query("SELECT last_used_at::text, xmin::text FROM employer_api_keys WHERE id = \(keyID)", logger: TestCluster.logger)
                .decode((String?, String).self).collect().first ?? (nil, "")
        }
    }

    @Test("the last use is written at most once a minute per credential, not on every request")
    func lastUse() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            func state() async throws -> (used: String?, version: String) { try await Self.keyUse(employer.keyID, url: url) }
            #expect(try await state().used == nil)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok)
            let first = try await state()
            #expect(first.used != nil)
            for _ in 0..<10 { #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok) }
            #expect(try await state().version == first.version, "the row was not written again within the minute")
            let listed = try await client.keys(employer: employer.id, token: tokens.officer)
            #expect(listed.first?.lastUsedAt != nil)
            // The staff token's use too.
            #expect(try await client.json(.get, "/api/staff/skills", token: tokens.viewer).status == .ok)
            #expect(
                try await rowCount(
                    "staff_tokens t JOIN staff_users u ON u.id = t.staff_user_id WHERE u.username = 'viewer' AND t.last_used_at IS NOT NULL",
                    url: url
                ) == 1
            )
        }
        // Once a minute has passed, the service writes it again.
        let cache = CredentialCache()
        let start = ContinuousClock.now
        #expect(cache.useIsDue(.employerKey(1), now: start))
        #expect(!cache.useIsDue(.employerKey(1), now: start + .seconds(59)))
        #expect(cache.useIsDue(.employerKey(2), now: start + .seconds(59)), "each credential apart")
        #expect(cache.useIsDue(.employerKey(1), now: start + .seconds(61)))
    }

    @Test("without the credential cache (behind a transaction pooler) the last use is written too, still at most once a minute")
    func lastUseWithoutCache() async throws {
        try await withTestApp(configure: { $0.credentialCache = false }) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            func state() async throws -> (used: String?, version: String) { try await Self.keyUse(employer.keyID, url: url) }
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok)
            let first = try await state()
            #expect(first.used != nil)
            for _ in 0..<5 { #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok) }
            #expect(try await state().version == first.version, "the row was not written again within the minute")
        }
    }

    @Test("writing a last use does not announce a credential change (caches stay full); other changes do")
    func lastUseIsNoChange() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.withConnection { connection in
                    let notifications = try await connection.listen(CredentialChangeListener.channel)
                    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { other in
                        try await other.query(
                            "UPDATE employer_api_keys SET last_used_at = now() WHERE id = \(employer.keyID)",
                            logger: TestCluster.logger
                        )
                        try await other.query("UPDATE staff_tokens SET last_used_at = now()", logger: TestCluster.logger)
                        try await other.query(
                            "UPDATE staff_users SET display_name = 'Người xem' WHERE username = 'viewer'",
                            logger: TestCluster.logger
                        )
                        try await other.query(
                            "UPDATE employer_api_keys SET revoked_at = now() WHERE id = \(employer.keyID)",
                            logger: TestCluster.logger
                        )
                    }
                    // Heard in order of commit: the account's change first, then the revocation; the two
                    // writes of a last use, committed before them, sent nothing.
                    var heard: [String] = []
                    for try await notification in notifications {
                        heard.append(notification.payload)
                        if heard.count == 2 { break }
                    }
                    #expect(heard == ["staff_users", "employer_api_keys"])
                }
            }
        }
    }

    @Test("the employer's page issues a key with an expiry, refuses a past day next to the field, and lists the expiry")
    func pages() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            try await setWebPassword("admin", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("admin", SignInTests.password)
            let page = try await browser.get("/employers/\(employer.id)")
            #expect(page.html.contains("name=\"expires_on\""))
            let refused = try await browser.post("/employers/\(employer.id)/keys", [("_csrf", page.csrf ?? ""), ("expires_on", "2020-01-01")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("Ngày hết hạn phải từ hôm nay"))
            let next = LocalDate.today().adding(days: 30)
            let issued = try await browser.post("/employers/\(employer.id)/keys", [("_csrf", page.csrf ?? ""), ("expires_on", next.description)])
            #expect(issued.status == .ok)
            #expect(issued.html.contains("jme_"))
            #expect(issued.html.contains(WebDates.display(next.description)), "the last day it works is listed")
            #expect(issued.html.contains("Không thời hạn"), "the first key has none")
            // The admin's page of an account lists its tokens, with their last use and expiry.
            let staffID = try #require(
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query("SELECT id FROM staff_users WHERE username = 'viewer'", logger: TestCluster.logger).decode(Int64.self)
                        .collect().first
                }
            )
            _ = try await client.json(.get, "/api/staff/skills", token: tokens.viewer)
            let account = try await browser.get("/staff/\(staffID)")
            #expect(account.status == .ok)
            #expect(account.html.contains("<h2>Khóa API</h2>") && account.html.contains(String(tokens.viewer.prefix(12))))
            #expect(!account.html.contains(tokens.viewer), "never the token itself")
        }
    }

    @Test("the CLI issues keys and tokens with --expires, refuses a past day, and lists both with their expiry and last use")
    func commandLine() async throws {
        try await LiveServer.withServer(prefix: "jm-expiry", username: "officer") { server in
            let binary = ChildProcess.jobmatchBinary
            _ = try await server.employerKey()
            let past = try await ChildProcess.run(
                [binary, "employer", "key", "1", "--expires", "2020-01-01", "--home", server.home],
                environment: server.environment
            )
            #expect(past.status != 0 && past.output.contains("Ngày hết hạn phải từ hôm nay"), "\(past.output)")
            let day = LocalDate.today().adding(days: 30).description
            let issued = try await ChildProcess.run(
                [binary, "employer", "key", "1", "--expires", day, "--home", server.home],
                environment: server.environment
            )
            let key = issued.output.split(separator: "\n").last.map(String.init) ?? ""
            #expect(issued.status == 0 && key.hasPrefix("jme_"))
            #expect(try await LiveServer.http("GET", server.base + "/api/v1/vacancies", token: key).code == "200")
            let keys = try await ChildProcess.run([binary, "employer", "keys", "1", "--home", server.home], environment: server.environment)
            let line = keys.output.split(separator: "\n").first { $0.contains(key.prefix(12)) }.map(String.init) ?? ""
            #expect(line.split(separator: "\t").count == 6 && !line.hasSuffix("\t-"), "expiry listed: \(keys.output)")
            #expect(line.split(separator: "\t")[3] != "-", "last use listed: \(keys.output)")

            let token = try await ChildProcess.run(
                [binary, "staff", "token", "officer", "--expires", day, "--home", server.home],
                environment: server.environment
            )
            let secret = token.output.split(separator: "\n").last.map(String.init) ?? ""
            #expect(token.status == 0 && secret.hasPrefix("jms_"), "\(token.output)")
            #expect(try await LiveServer.http("GET", server.base + "/api/staff/skills", token: secret).code == "200")
            let added = try await ChildProcess.run(
                [binary, "staff", "add", "temp", "--role", "viewer", "--expires", day, "--home", server.home],
                environment: server.environment
            )
            #expect(added.status == 0)
            let listed = try await ChildProcess.run([binary, "staff", "tokens", "officer", "--home", server.home], environment: server.environment)
            #expect(listed.status == 0 && listed.output.contains(String(secret.prefix(12))) && !listed.output.contains(secret))
            #expect(listed.output.split(separator: "\n").count == 3, "a header and two tokens: \(listed.output)")
            let unknown = try await ChildProcess.run([binary, "staff", "token", "nobody", "--home", server.home], environment: server.environment)
            #expect(unknown.status != 0)
        }
    }
}
