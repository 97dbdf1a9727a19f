import Crypto
import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

/// Webhook signing secrets at rest: sealed with a key from outside the database, with the key's id,
/// so that the key can be rotated; plain secrets of earlier versions are sealed at start.
@Suite("Webhook secrets sealed at rest")
struct WebhookSecretTests {
    static func base64(_ key: SymmetricKey) -> String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// Each webhook's key id and secret as opened by `keyring` (nil where it cannot open it).
    static func opened(url: String, with keyring: WebhookSecretKeyring) async throws -> [(keyID: String?, plain: String?, secret: String?)] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let rows = try await client.query(
                "SELECT secret_key_id, secret, secret_sealed FROM employer_webhooks ORDER BY id",
                logger: TestCluster.logger
            )
            .decode((String?, String?, ByteBuffer?).self).collect()
            return rows.map { keyID, plain, sealed in
                let secret = keyID.flatMap { id in sealed.flatMap { try? keyring.open(.init(keyID: id, bytes: Array($0.readableBytesView))) } }
                return (keyID, plain, secret)
            }
        }
    }

    @Test("rotation: rekey re-seals every secret with the new key while the old one is configured; afterwards the old key is not needed")
    func rotation() async throws {
        let oldKey = try #require(WebhookSecretKeyring.key(base64: TestCluster.webhookSecretKey))
        let newKey = SymmetricKey(size: .bits256)
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) { client, tokens, url in
            // setup: a webhook registered under the old key
            let employer = try await TestEmployer.make(client, tokens)
            let secret = try #require(
                try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: employer.key,
                    ["url": "http://127.0.0.1:9/hook"]
                )
                .get().secret
            )
            let before = try await Self.opened(url: url, with: WebhookSecretKeyring(current: oldKey))
            #expect(before.count == 1 && before[0].plain == nil && before[0].secret == secret)

            // act: the new key alone cannot open it; rekey with the old key kept for reading
            #expect(try await Self.opened(url: url, with: WebhookSecretKeyring(current: newKey))[0].secret == nil)
            let outcome = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pool in
                try await WebhookSecretStore(client: pool, keyring: WebhookSecretKeyring(current: newKey, old: [oldKey]), logger: TestCluster.logger)
                    .rekey()
            }

            // verify: the same secret, now under the new key only
            #expect(outcome.resealed == 1 && outcome.unopenable == 0)
            let after = try await Self.opened(url: url, with: WebhookSecretKeyring(current: newKey))
            #expect(after[0].keyID == WebhookSecretKeyring(current: newKey).currentID)
            #expect(after[0].secret == secret)
            #expect(try await Self.opened(url: url, with: WebhookSecretKeyring(current: oldKey))[0].secret == nil)
        }
    }

    @Test("jobmatch webhooks rekey: fails while the old key is not given, re-seals once it is")
    func rekeyCommand() async throws {
        let newKey = Self.base64(SymmetricKey(size: .bits256))
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) { client, tokens, url in
            // setup: a webhook sealed with the test apps' key
            let employer = try await TestEmployer.make(client, tokens)
            let secret = try #require(
                try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: employer.key,
                    ["url": "http://127.0.0.1:9/hook"]
                )
                .get().secret
            )
            let environment = ["DATABASE_URL": url, "JOBMATCH_SQL_DIR": TestCluster.sqlDirectory, "WEBHOOK_SECRET_KEY": newKey]

            // act and verify: without the old key the command fails and changes nothing
            let refused = try await ChildProcess.run([ChildProcess.jobmatchBinary, "webhooks", "rekey"], environment: environment)
            #expect(refused.status != 0)
            #expect(refused.output.contains("WEBHOOK_SECRET_OLD_KEYS"))
            // with it, every secret is re-sealed with the new key
            let done = try await ChildProcess.run(
                [ChildProcess.jobmatchBinary, "webhooks", "rekey"],
                environment: environment.merging(["WEBHOOK_SECRET_OLD_KEYS": TestCluster.webhookSecretKey]) { $1 }
            )
            #expect(done.status == 0, "\(done.output)")
            #expect(done.output.contains(": 1"))
            let keyring = WebhookSecretKeyring(current: try #require(WebhookSecretKeyring.key(base64: newKey)))
            #expect(try await Self.opened(url: url, with: keyring).map(\.secret) == [secret])
        }
    }

    @Test("a rekey without the old key leaves the secret as it is and says so")
    func rekeyWithoutOldKey() async throws {
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.post, "/api/v1/webhooks", token: employer.key, ["url": "http://127.0.0.1:9/hook"]).status == .created)
            let outcome = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pool in
                try await WebhookSecretStore(
                    client: pool,
                    keyring: WebhookSecretKeyring(current: SymmetricKey(size: .bits256)),
                    logger: TestCluster.logger
                ).rekey()
            }
            #expect(outcome.resealed == 0 && outcome.unopenable == 1)
            let oldKey = try #require(WebhookSecretKeyring.key(base64: TestCluster.webhookSecretKey))
            #expect(try await Self.opened(url: url, with: WebhookSecretKeyring(current: oldKey))[0].secret != nil)
        }
    }

    @Test("a plain secret left by an earlier version is sealed when the service starts, and deliveries still sign with it")
    func plainSealedAtStart() async throws {
        // setup: a database with a plain secret, as before migration 0023
        let database = try await TestCluster.freshDatabase()
        let url = try await TestCluster.url(database)
        let plain = "whsec_" + String(repeating: "ab", count: 32)
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await Migrator(directory: TestCluster.sqlDirectory, logger: TestCluster.logger).migrate(client)
            try await client.query(
                """
                WITH e AS (INSERT INTO employers (name, tax_code, ward_code) VALUES ('Công ty A', '0100109106', '31321') RETURNING id)
                INSERT INTO employer_webhooks (employer_id, url, secret) SELECT id, 'https://hooks.example/x', \(plain) FROM e
                """,
                logger: TestCluster.logger
            )
        }
        // act: the service starts on it
        var config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory, maxConnections: 4)
        config.port = 0
        config.exportSchedule.enabled = false
        config.candidateIndex = false
        config.webhookSecretKey = TestCluster.webhookSecretKey
        let app = try await buildApplication(config, logger: TestCluster.logger)
        let health = try await app.test(.router) { client async throws -> HTTPResponse.Status in
            try await client.json(.get, "/healthz", token: nil).status
        }
        #expect(health == .ok)
        // verify
        let key = try #require(WebhookSecretKeyring.key(base64: TestCluster.webhookSecretKey))
        let rows = try await Self.opened(url: url, with: WebhookSecretKeyring(current: key))
        #expect(rows.count == 1 && rows[0].plain == nil && rows[0].secret == plain)
    }

    @Test("with no key configured, a key file is made in the home on first start (owner-only) and read at the next")
    func keyFile() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("jobmatch-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var config = AppConfig(home: home)
        config.webhookSecretKey = nil
        let first = try WebhookSecretKeyring.load(config, logger: TestCluster.logger)
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/webhook-secret.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try WebhookSecretKeyring.load(config, logger: TestCluster.logger)
        #expect(first.currentID == second.currentID)
        config.webhookSecretKey = "not a key"
        #expect(throws: WebhookSecretError.self) { try WebhookSecretKeyring.load(config, logger: TestCluster.logger) }
    }
}
