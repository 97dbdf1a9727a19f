import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API: keys, authorization, limits and the published contract")
struct EmployerAccessTests {
    /// Every operation of the contract, with a body that would be valid, and whether it names
    /// one of the owner's objects (so that another employer must get 404).
    static func operations(vacancy: Int, referral: Int, webhook: Int) -> [(HTTPRequest.Method, String, [String: Any]?, Bool)] {
        [
            (.post, "/api/v1/vacancies", Sample.vacancy(), false),
            (.get, "/api/v1/vacancies", nil, false),
            (.put, "/api/v1/vacancies/by-reference/REF-1", Sample.vacancy(), false),
            (.get, "/api/v1/vacancies/\(vacancy)", nil, true),
            (.put, "/api/v1/vacancies/\(vacancy)", Sample.vacancy(), true),
            (.post, "/api/v1/vacancies/\(vacancy)/close", nil, true),
            (.post, "/api/v1/vacancies/\(vacancy)/reopen", nil, true),
            (.get, "/api/v1/referrals", nil, false),
            (.get, "/api/v1/referrals/\(referral)", nil, true),
            (.post, "/api/v1/referrals/\(referral)/interview", ["interviewed_on": "2026-11-20", "outcome": "passed"], true),
            (.post, "/api/v1/referrals/\(referral)/hire", ["start_date": "2026-12-01"], true),
            (.post, "/api/v1/referrals/\(referral)/reject", ["reason": "Không phù hợp"], true),
            (.get, "/api/v1/skills", nil, false),
            (.get, "/api/v1/webhooks", nil, false),
            (.post, "/api/v1/webhooks", ["url": "http://127.0.0.1:9/hook"], false),
            (.delete, "/api/v1/webhooks/\(webhook)", nil, true),
        ]
    }

    @Test("every operation: no key 401, revoked key 401, staff 403, another employer's object 404 (and nothing changes)")
    func matrix() async throws {
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) {
            client,
            tokens,
            url async throws in
            let owner = try await TestEmployer.make(client, tokens)
            let other = try await TestEmployer.make(client, tokens, taxCode: "0301234562")
            let vacancy = Int(
                try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: owner.key, Sample.vacancy()).get().id
            )
            let (referral, _) = try await referWorker(client, tokens, vacancy: vacancy)
            let webhook = Int(
                try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: owner.key,
                    ["url": "http://127.0.0.1:9/hook"]
                )
                .get().id
            )
            let revoked = try await client.issueKey(employer: owner.id, token: tokens.officer)
            let keys = try await client.keys(employer: owner.id, token: tokens.officer)
            #expect(
                try await client.json(.post, "/api/staff/employer-keys/\(try #require(keys.first).id)/revoke", token: tokens.officer).status == .ok
            )
            let before = try await rowCount("audit_log", url: url)

            for (method, path, body, owned) in Self.operations(vacancy: vacancy, referral: referral, webhook: webhook) {
                #expect(try await client.json(method, path, token: nil, body).status == .unauthorized, "\(method) \(path) without a key")
                #expect(
                    try await client.json(method, path, token: "jme_not-a-real-key", body).status == .unauthorized,
                    "\(method) \(path) unknown key"
                )
                #expect(try await client.json(method, path, token: revoked, body).status == .unauthorized, "\(method) \(path) revoked key")
                #expect(try await client.json(method, path, token: tokens.admin, body).status == .forbidden, "\(method) \(path) staff")
                if owned {
                    let response = try await client.send(method, path, token: other.key, body)
                    #expect(response.status == .notFound, "\(method) \(path) another employer")
                    #expect(response.problem?._type == "urn:jobmatch:problem:not-found")
                }
            }
            #expect(try await rowCount("audit_log", url: url) == before)
            #expect(try await rowCount("vacancies", url: url) == 1)
            #expect(try await rowCount("referrals WHERE status = 'referred'", url: url) == 1)
            #expect(try await rowCount("employer_webhooks WHERE removed_at IS NULL", url: url) == 1)
            // The other employer's lists do not show the owner's objects.
            #expect(try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies", token: other.key).get().vacancies.isEmpty)
            #expect(
                try await client.answer(Components.Schemas.ReferralPage.self, .get, "/api/v1/referrals", token: other.key).get().referrals.isEmpty
            )
            #expect(try await client.answer(Components.Schemas.WebhookList.self, .get, "/api/v1/webhooks", token: other.key).get().webhooks.isEmpty)
        }
    }

    @Test("staff list, rotate and revoke keys: a key is shown once, only its prefix after, and a revoked key stops at once")
    func keys() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok)
            let answer = try await client.raw(.get, "/api/staff/employers/\(employer.id)/keys", token: tokens.viewer)
            let listed = try answer.decoded(EmployerRoutes.KeyList.self, snakeCase: true).keys
            #expect(listed.count == 1)
            #expect(employer.key.hasPrefix(try #require(listed.first).prefix))
            #expect(!String(buffer: answer.body).contains(employer.key))

            let rotated = try await client.answer(
                IssuedKey.self,
                .post,
                "/api/staff/employer-keys/\(employer.keyID)/rotate",
                token: tokens.officer,
                snakeCase: true
            )
            #expect(rotated.status == .created)
            let newKey = try rotated.get().apiKey
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: newKey).status == .ok)
            #expect(try await client.json(.post, "/api/staff/employer-keys/\(employer.keyID)/rotate", token: tokens.officer).status == .notFound)
            #expect(try await client.json(.post, "/api/staff/employer-keys/\(employer.keyID)/rotate", token: tokens.viewer).status == .forbidden)

            let newID = try #require(try await client.keys(employer: employer.id, token: tokens.officer).first).id
            #expect(try await client.json(.post, "/api/staff/employer-keys/\(newID)/revoke", token: tokens.officer).status == .ok)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: newKey).status == .unauthorized)
            #expect(try await client.json(.post, "/api/staff/employer-keys/999999/revoke", token: tokens.officer).status == .notFound)
            #expect(try await rowCount("employer_api_keys WHERE revoked_at IS NULL", url: url) == 0)
            #expect(try await rowCount("audit_log WHERE action IN ('issue_key', 'rotate_key', 'revoke_key')", url: url) == 3)
        }
    }

    @Test("too many requests get 429 with Retry-After; a body over 1 MiB gets 413; every error is problem+json")
    func limits() async throws {
        try await withTestApp(configure: { $0.employerRateLimitPerMinute = 12 }) { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String? = nil
            // A burst of 2 (12 a minute / 6), refilled at one every 5 s: 40 requests overrun it, however
            // slow a loaded machine makes each (a refill of one a second did not, on a busy run).
            for _ in 0..<40 {
                let response = try await client.send(.get, "/api/v1/skills", token: employer.key)
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    retryAfter = response.headers[.retryAfter]
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            #expect(statuses.prefix(2).allSatisfy { $0 == .ok })
            #expect(statuses.contains(.tooManyRequests))
            #expect(Int(retryAfter ?? "") ?? 0 >= 1)
        }
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            var big = Sample.vacancy()
            big["description"] = String(repeating: "x", count: 1_100_000)
            let response = try await client.send(.post, "/api/v1/vacancies", token: employer.key, big)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await rowCount("vacancies", url: url) == 0)
        }
    }

    @Test("the contract is served as YAML and as a reference page with no external resource")
    func publishedContract() async throws {
        try await withTestApp { client, _, _ in
            let yaml = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(yaml.status == .ok)
            #expect(String(buffer: yaml.body).hasPrefix("openapi: 3.1.0"))
            let page = try await client.execute(uri: "/api/v1/docs", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            for operation in ["createVacancy", "upsertVacancyByReference", "hireCandidate", "createWebhook"] {
                #expect(html.contains("id=\"\(operation)\""), "\(operation)")
            }
            #expect(html.contains("Idempotency-Key"))
            #expect(!html.contains("http://") && !html.contains("https://cdn") && !html.contains("<script"))
            #expect(try await client.execute(uri: "/api/v1/docs.css", method: .get).status == .ok)
        }
    }
}
