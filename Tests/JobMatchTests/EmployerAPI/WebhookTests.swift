import Crypto
import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import JobMatch

@Suite("Employer API: webhooks")
struct WebhookTests {
    /// What the employer's receiver got, and a stream that yields the count after each call.
    final class Received: Sendable {
        struct Call: Sendable {
            let headers: [String: String]
            let body: String
        }
        let calls = Mutex<[Call]>([])
        let (counts, counted) = AsyncStream<Int>.makeStream()

        /// Waits for the `count`th call (at most `limit`); the calls received by then.
        func awaitCall(_ count: Int, limit: Duration) async throws -> [Call] {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for await seen in self.counts where seen >= count { return } }
                group.addTask {
                    try await Task.sleep(for: limit)
                    throw TestFailure("fewer than \(count) calls reached the receiver in \(limit)")
                }
                try await group.next()
                group.cancelAll()
            }
            return self.calls.withLock { $0 }
        }

        /// The webhook's payload (`WebhookEvent` in the contract).
        struct Payload: Decodable {
            let event: String
            let referralId: Int
        }
    }

    @Test("a referral is announced to the employer's URL, signed, retried after a failure, and visible to staff")
    func delivery() async throws {
        let received = Received()
        // The employer's system: fails the first call, accepts the next.
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let count = received.calls.withLock { calls in
                calls.append(.init(headers: headers, body: String(buffer: body)))
                return calls.count
            }
            received.counted.yield(count)
            return Response(status: count == 1 ? .internalServerError : .noContent)
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await withTestApp(mode: .live, configure: { config in
                config.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true)
                config.webhookPollInterval = .milliseconds(200)
                config.webhookRetryBaseSeconds = 1
            }) { client, tokens, url async throws in
                let employer = try await TestEmployer.make(client, tokens)
                let hook = try await client.answer(Components.Schemas.Webhook.self, .post, "/api/v1/webhooks", token: employer.key,
                                                   ["url": "http://127.0.0.1:\(port)/hook"])
                #expect(hook.status == .created)
                let secret = try #require(try hook.get().secret)
                let listed = try await client.answer(Components.Schemas.WebhookList.self, .get, "/api/v1/webhooks", token: employer.key).get()
                #expect(listed.webhooks.count == 1 && listed.webhooks.first?.secret == nil)
                let vacancy = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key,
                                                      Sample.vacancy()).get().id
                let (referral, _) = try await referWorker(client, tokens, vacancy: Int(vacancy))

                // The first call fails; the retry (after a second) is the second call.
                let calls = try await received.awaitCall(2, limit: .seconds(20))
                #expect(calls.count == 2)
                let last = try #require(calls.last)
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                let payload = try decoder.decode(Received.Payload.self, from: Data(last.body.utf8))
                #expect(payload.event == "referral.created")
                #expect(payload.referralId == referral)
                #expect(!last.body.contains("Bình") && !last.body.contains("093190123456"))
                #expect(last.headers["jobmatch-event"] == "referral.created")
                // The signature is HMAC-SHA256 over "<t>.<body>" with the secret shown at registration.
                let signature = try #require(last.headers["jobmatch-signature"])
                let parts = Dictionary(uniqueKeysWithValues: signature.split(separator: ",").map { pair -> (String, String) in
                    let items = pair.split(separator: "=", maxSplits: 1)
                    return (String(items[0]), String(items[1]))
                })
                let mac = HMAC<SHA256>.authenticationCode(for: Data("\(parts["t"]!).\(last.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(parts["v1"] == Data(mac).map { String(format: "%02x", $0) }.joined())

                // The state is written just after the answer: the staff's list is asked again until it shows it (2 s at most).
                var deliveries: [WebhookOutbox.Delivery] = []
                for _ in 0..<20 {
                    deliveries = try await client.answer(WebhookRoutes.DeliveryList.self, .get, "/api/staff/webhook-deliveries?employer_id=\(employer.id)",
                                                         token: tokens.viewer, snakeCase: true).get().deliveries
                    if deliveries.first?.state == "delivered" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.state == "delivered")
                #expect(deliveries.first?.attempts == 2)
                #expect(try await rowCount("webhook_deliveries WHERE last_status = 204", url: url) == 1)
            }
        }
    }

    @Test("by default only https on public addresses: http, loopback, private and link-local targets are refused")
    func targets() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            for target in ["http://example.com/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest",
                           "https://[::1]/hook", "https://192.168.1.10/x", "https://user:pw@example.com/x", "ftp://example.com/x", "not a url"] {
                let response = try await client.answer(Components.Schemas.Webhook.self, .post, "/api/v1/webhooks", token: employer.key, ["url": target])
                #expect(response.status == .unprocessableContent, "\(target)")
                #expect(response.problem?.field == "url", "\(target)")
            }
            #expect(try await rowCount("employer_webhooks", url: url) == 0)
        }
        #expect(WebhookTargetPolicy.isInternal([172, 20, 0, 1]))
        #expect(WebhookTargetPolicy.isInternal([100, 64, 0, 1]))
        #expect(!WebhookTargetPolicy.isInternal([93, 184, 216, 34]))
        #expect(WebhookTargetPolicy.isInternal([0xfe, 0x80] + Array(repeating: 0, count: 14)))
        #expect(WebhookTargetPolicy.isInternal(Array(repeating: 0, count: 10) + [0xff, 0xff, 127, 0, 0, 1]))
        #expect(!WebhookTargetPolicy.isInternal([0x26, 0x06, 0x28, 0x00] + Array(repeating: 0, count: 12)))
        #expect(WebhookDeliverer.pause(afterAttempt: 1) == 30 && WebhookDeliverer.pause(afterAttempt: 3) == 120)
        #expect(WebhookDeliverer.pause(afterAttempt: 40) == 6 * 3600)
    }
}
