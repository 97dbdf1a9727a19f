import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Known callers kept in memory: never a revoked key")
struct CredentialCacheTests {
    static let hash = Data(repeating: 7, count: 32)
    static let caller = Principal.employer(employerID: 1, keyID: 1)

    @Test("nothing is kept or served while no one listens for changes")
    func offUntilListening() {
        let cache = CredentialCache()
        let (none, generation) = cache.principal(forHash: Self.hash)
        #expect(none == nil)
        cache.remember(Self.caller, forHash: Self.hash, generation: generation)
        cache.setListening(true)
        #expect(cache.principal(forHash: Self.hash).principal == nil)
        let current = cache.principal(forHash: Self.hash).generation
        cache.remember(Self.caller, forHash: Self.hash, generation: current)
        #expect(cache.principal(forHash: Self.hash).principal == Self.caller)
        cache.setListening(false)
        #expect(cache.principal(forHash: Self.hash).principal == nil)
    }

    @Test("an answer read before a change is not kept after it; a change empties the cache; it stays within its capacity")
    func changes() {
        let cache = CredentialCache(capacity: 2)
        cache.setListening(true)
        let before = cache.principal(forHash: Self.hash).generation
        cache.clear()  // a key changed while the database was being asked
        cache.remember(Self.caller, forHash: Self.hash, generation: before)
        #expect(cache.principal(forHash: Self.hash).principal == nil)

        let now = cache.principal(forHash: Self.hash).generation
        cache.remember(Self.caller, forHash: Self.hash, generation: now)
        cache.clear()
        #expect(cache.principal(forHash: Self.hash).principal == nil)

        for byte in UInt8(1)...5 {
            let generation = cache.principal(forHash: Data([byte])).generation
            cache.remember(Self.caller, forHash: Data([byte]), generation: generation)
        }
        #expect(cache.principal(forHash: Data([5])).principal == Self.caller)
        #expect([UInt8(1), 2, 3, 4].filter { cache.principal(forHash: Data([$0])).principal != nil }.count <= 1)
    }

    @Test("a key revoked or a staff account disabled outside this service (the CLI, another instance) is refused at once")
    func changedElsewhere() async throws {
        try await withTestApp(mode: .live) { client, tokens, url in
            // The service listens (its listener's last statement checked for the trigger), so callers are cached.
            #expect(
                try await Self.becomes(true) {
                    try await rowCount(
                        "pg_stat_activity WHERE datname = current_database() AND query LIKE '%to_regproc(''notify_credentials_changed'')%'",
                        url: url
                    ) == 1
                }
            )
            let employer = try await TestEmployer.make(client, tokens)
            for _ in 0..<3 { #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok) }
            for _ in 0..<3 { #expect(try await client.json(.get, "/api/staff/skills", token: tokens.viewer).status == .ok) }
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { other in
                try await other.query("UPDATE employer_api_keys SET revoked_at = now() WHERE id = \(employer.keyID)", logger: TestCluster.logger)
                try await other.query("UPDATE staff_users SET is_active = false WHERE username = 'viewer'", logger: TestCluster.logger)
            }
            // The notification is sent on commit and reaches the service within milliseconds.
            #expect(try await Self.becomes(.unauthorized) { try await client.json(.get, "/api/v1/vacancies", token: employer.key).status })
            #expect(try await Self.becomes(.unauthorized) { try await client.json(.get, "/api/staff/skills", token: tokens.viewer).status })
            #expect(try await client.json(.get, "/api/staff/skills", token: tokens.officer).status == .ok)
        }
    }

    @Test("with CREDENTIAL_CACHE off nothing listens and every request asks the database")
    func off() async throws {
        try await withTestApp(mode: .live, configure: { $0.credentialCache = false }) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .ok)
            try await execute("UPDATE employer_api_keys SET revoked_at = now() WHERE id = \(employer.keyID)", url: url)
            #expect(try await client.json(.get, "/api/v1/vacancies", token: employer.key).status == .unauthorized)
            #expect(
                try await rowCount(
                    "pg_stat_activity WHERE datname = current_database() AND query LIKE '%to_regproc(''notify_credentials_changed'')%'",
                    url: url
                ) == 0
            )
        }
    }

    /// Whether `value` gives `expected` within half a second.
    static func becomes<T: Equatable>(_ expected: T, _ value: () async throws -> T) async throws -> Bool {
        for _ in 0..<50 {
            if try await value() == expected { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
