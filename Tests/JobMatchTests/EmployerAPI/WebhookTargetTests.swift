import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import JobMatch

/// Webhook targets against a determined caller: the IPv6 forms that reach IPv4 or private networks,
/// redirects, a name that points inside at delivery time, and a resolver that never answers.
@Suite("Webhook targets")
struct WebhookTargetTests {
    /// 16 bytes from eight 16-bit groups.
    static func v6(_ groups: [UInt16]) -> [UInt8] {
        groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    @Test("NAT64 64:ff9b::/96 is refused (it reaches any IPv4 address through the relay)")
    func nat64() {
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0x64, 0xff9b, 0, 0, 0, 0, 0x7f00, 0x0001])))
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0x64, 0xff9b, 0, 0, 0, 0, 0x5db8, 0xd822])))
    }

    @Test("6to4 2002::/16 is refused")
    func sixToFour() {
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0x2002, 0x0a00, 0x0001, 0, 0, 0, 0, 1])))
    }

    @Test("IPv4-compatible ::a.b.c.d is refused")
    func ipv4Compatible() {
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0, 0, 0, 0, 0, 0, 0x0a00, 0x0001])))
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0, 0, 0, 0, 0, 0, 0x5db8, 0xd822])))
    }

    @Test("site-local fec0::/10 is refused")
    func siteLocal() {
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0xfec0, 0, 0, 0, 0, 0, 0, 1])))
        #expect(WebhookTargetPolicy.isInternal(Self.v6([0xfeff, 0, 0, 0, 0, 0, 0, 1])))
        #expect(!WebhookTargetPolicy.isInternal(Self.v6([0x2606, 0x2800, 0x0220, 1, 0x248, 0x1893, 0x25c8, 0x1946])))
    }

    @Test("the address a delivery connects to is the one that was checked (no second lookup)")
    func pinnedAddress() async throws {
        let lookups = Hits()
        var policy = WebhookTargetPolicy(allowHTTP: false, allowPrivateTargets: false)
        policy.resolver = { _ in
            lookups.withLock { $0 += 1 }
            return [[93, 184, 216, 34], Self.v6([0x2606, 0x2800, 0x0220, 1, 0x248, 0x1893, 0x25c8, 0x1946])]
        }
        let target = try await policy.check("https://hooks.example.vn/jobmatch")
        #expect(target.host == "hooks.example.vn")
        #expect(target.address == "93.184.216.34")
        #expect(lookups.withLock { $0 } == 1)
        #expect(
            WebhookTargetPolicy.text(of: Self.v6([0x2606, 0x2800, 0x0220, 1, 0x248, 0x1893, 0x25c8, 0x1946])) == "2606:2800:220:1:248:1893:25c8:1946"
        )
        // a name with one internal address among public ones is refused
        policy.resolver = { _ in [[93, 184, 216, 34], [10, 0, 0, 1]] }
        await #expect(throws: AppError.self) { try await policy.check("https://hooks.example.vn/jobmatch") }
    }

    /// How many calls reached a receiver (1000 for each that reached its `/inside`).
    final class Hits: Sendable {
        private let count = Mutex(0)
        func withLock<T>(_ body: (inout Int) -> T) -> T { self.count.withLock { body(&$0) } }
    }

    /// A receiver on loopback that counts what reaches it; `answer` says how it replies.
    static func withReceiver(
        _ answer: @escaping @Sendable (Int) -> Response,
        _ body: @Sendable (_ port: Int, _ hits: Hits) async throws -> Void
    ) async throws {
        let hits = Hits()
        let router = Router()
        router.post("hook") { _, _ -> Response in
            answer(
                hits.withLock {
                    $0 += 1
                    return $0
                }
            )
        }
        router.post("inside") { _, _ -> Response in
            hits.withLock { $0 += 1000 }
            return Response(status: .noContent)
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            try await body(try #require(client.port), hits)
        }
    }

    /// The delivery row once it has been attempted (waiting for the deliverer's write to it).
    static func attempted(url: String) async throws -> (attempts: Int, status: Int?, error: String?, delivered: Bool) {
        try await TableChanges.wait(
            url: url,
            table: "webhook_deliveries",
            until: "SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE attempts > 0)"
        )
        let row = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query(
                "SELECT attempts, last_status, last_error, delivered_at IS NOT NULL FROM webhook_deliveries",
                logger: TestCluster.logger
            )
            .decode((Int, Int?, String?, Bool).self).first(where: { _ in true })
        }
        guard let row else { throw TestFailure("the delivery was never attempted") }
        return row
    }

    @Test("a target answering 302 to a private address: the redirect is not followed and the delivery counts as failed")
    func redirect() async throws {
        let ports = Mutex(0)
        try await Self.withReceiver({ _ in
            Response(status: .found, headers: [.location: "http://127.0.0.1:\(ports.withLock { $0 })/inside"])
        }) { port, hits in
            ports.withLock { $0 = port }
            try await withTestApp(
                mode: .live,
                configure: { config in
                    config.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true)
                    config.webhookPollInterval = .milliseconds(200)
                    config.webhookRetryBaseSeconds = 3600
                }
            ) { client, tokens, url async throws in
                let employer = try await TestEmployer.make(client, tokens)
                #expect(
                    try await client.json(.post, "/api/v1/webhooks", token: employer.key, ["url": "http://127.0.0.1:\(port)/hook"]).status == .created
                )
                let vacancy = Int(
                    try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy()).get()
                        .id
                )
                _ = try await referWorker(client, tokens, vacancy: vacancy)

                let row = try await Self.attempted(url: url)
                #expect(row.status == 302)
                #expect(!row.delivered)
                #expect(hits.withLock { $0 } == 1, "the target was called once and the redirect's target never")
            }
        }
    }

    @Test("a name accepted at registration that resolves to loopback at delivery time is refused then, with private targets off")
    func reboundName() async throws {
        let registered = Mutex(false)
        try await Self.withReceiver({ _ in Response(status: .noContent) }) { port, hits in
            try await withTestApp(
                mode: .live,
                configure: { config in
                    config.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: false)
                    // At registration `localhost` looks public; afterwards the real resolver answers (loopback).
                    config.webhookPolicy.resolver = { name in
                        registered.withLock { $0 } ? try await WebhookTargetPolicy.systemResolve(name) : [[93, 184, 216, 34]]
                    }
                    config.webhookPollInterval = .milliseconds(200)
                    config.webhookRetryBaseSeconds = 3600
                }
            ) { client, tokens, url async throws in
                let employer = try await TestEmployer.make(client, tokens)
                #expect(
                    try await client.json(.post, "/api/v1/webhooks", token: employer.key, ["url": "http://localhost:\(port)/hook"]).status == .created
                )
                registered.withLock { $0 = true }
                let vacancy = Int(
                    try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy()).get()
                        .id
                )
                _ = try await referWorker(client, tokens, vacancy: vacancy)

                let row = try await Self.attempted(url: url)
                #expect(row.error == "target refused by policy")
                #expect(!row.delivered)
                #expect(hits.withLock { $0 } == 0, "nothing reached the loopback receiver")
            }
        }
    }

    @Test("a resolver that never answers holds neither the registration past its deadline nor other requests")
    func stalledResolver() async throws {
        let (called, signal) = AsyncStream<Void>.makeStream()
        let (never, _) = AsyncStream<Void>.makeStream()
        try await withTestApp(
            mode: .live,
            configure: { config in
                config.webhookPolicy = .init(allowHTTP: false, allowPrivateTargets: false)
                config.webhookPolicy.resolveTimeout = .seconds(2)
                config.webhookPolicy.resolver = { _ in
                    signal.yield()
                    for await _ in never {}
                    return []
                }
            }
        ) { client, tokens, _ async throws in
            // setup
            let employer = try await TestEmployer.make(client, tokens)
            // act: a registration whose name never resolves, and meanwhile other requests
            let registration = Task { () async throws -> (HTTPResponse.Status, String?, String?) in
                let response = try await client.send(.post, "/api/v1/webhooks", token: employer.key, ["url": "https://stalled.example/hook"])
                return (response.status, response.problem?.field, response.problem?.detail)
            }
            for await _ in called { break }
            #expect(try await client.json(.get, "/api/staff/progress", token: tokens.viewer).status == .ok)
            #expect(try await client.json(.get, "/api/v1/webhooks", token: employer.key).status == .ok)
            // verify: the registration is refused (not hung) once its deadline passes
            let (status, field, detail) = try await registration.value
            #expect(status == .unprocessableContent)
            #expect(field == "url")
            #expect(detail?.contains("thời hạn") == true)
        }
    }
}
