import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

/// A copy of the database (`pg_dump`, as a backup or a stolen disk would hold it) opens nothing:
/// staff API tokens, employer API keys and session cookies are kept as SHA-256 only, web passwords
/// as bcrypt. Webhook signing secrets must be usable to sign, so they are sealed (AES-GCM) with a
/// key kept outside the database (`WEBHOOK_SECRET_KEY`): the dump holds only the ciphertext.
@Suite("A database dump holds no usable secret")
struct DumpSecretsTests {
    @Test("pg_dump of a populated database contains no token, API key, password, session cookie or webhook secret")
    func dump() async throws {
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            let rotated = try await client.staff(IssuedKey.self, .post, "/api/staff/employer-keys/\(employer.keyID)/rotate", token: tokens.officer)
                .apiKey
            let hook = try await client.answer(
                Components.Schemas.Webhook.self,
                .post,
                "/api/v1/webhooks",
                token: rotated,
                ["url": "http://127.0.0.1:9/hook"]
            )
            let webhookSecret = try #require(try hook.get().secret)
            // Web sign-ins: one session still open, one ended by signing out, one refused password.
            let password = SignInTests.password
            try await setWebPassword("officer", password, url: url)
            try await setWebPassword("admin", password, url: url)
            let open = WebBrowser(client)
            #expect(try await open.signIn("officer", password).status == .seeOther)
            let openCookie = try #require(open.cookies["jm_session"])
            let csrf = try #require(try await open.get("/").csrf)
            let ended = WebBrowser(client)
            #expect(try await ended.signIn("admin", password).status == .seeOther)
            let endedCookie = try #require(ended.cookies["jm_session"])
            #expect(try await ended.post("/sign-out", [("_csrf", try #require(try await ended.get("/").csrf))]).status == .seeOther)
            let wrongPassword = "Sai-mat-khau-9"
            #expect(try await WebBrowser(client).signIn("viewer", wrongPassword).status == .unauthorized)

            let cluster = try await TestCluster.shared.value
            let database = try #require(url.split(separator: "?").first?.split(separator: "/").last.map(String.init))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID().uuidString).sql").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            let run = try await ChildProcess.run([
                cluster.binaries.directory + "/pg_dump", "-h", cluster.socketDirectory, "-U", EmbeddedPostgres.superuser,
                "--no-password", "-f", file, database,
            ])
            #expect(run.status == 0, "pg_dump: \(run.output)")
            let dump = try String(contentsOfFile: file, encoding: .utf8)
            #expect(
                dump.contains("COPY public.staff_tokens") && dump.contains("COPY public.staff_sessions")
                    && dump.contains("COPY public.employer_api_keys")
            )
            #expect(dump.contains(String(tokens.admin.prefix(12))), "the dump holds the tokens' support prefixes: it is the populated database")
            #expect(dump.contains("$2"), "bcrypt hashes are there")

            #expect(dump.contains("COPY public.employer_webhooks"), "the webhook is in the dump (sealed)")
            let secrets = [
                ("webhook signing secret", webhookSecret), ("admin token", tokens.admin), ("officer token", tokens.officer),
                ("viewer token", tokens.viewer),
                ("first API key", employer.key), ("rotated API key", rotated), ("password", password), ("wrong password", wrongPassword),
                ("open session cookie", openCookie), ("ended session cookie", endedCookie),
            ]
            for (name, secret) in secrets {
                #expect(!dump.contains(secret), "the dump contains the \(name)")
                #expect(!dump.contains(String(secret.suffix(24))), "the dump contains the secret part of the \(name)")
            }
            // The CSRF token is stored as given (it opens nothing without the session cookie), as
            // documented in docs/security.md.
            #expect(dump.contains(csrf))
            #expect(!dump.contains(TestCluster.webhookSecretKey), "the key that seals webhook secrets is not in the database")
        }
    }
}
