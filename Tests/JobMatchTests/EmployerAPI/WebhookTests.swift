import Crypto
import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API: webhooks")
struct WebhookTests {
    /// The webhook's payload (`WebhookEvent` in the contract).
    struct Payload: Decodable {
        let event: String
        let referralId: Int
    }

    @Test("a referral is announced to the employer's URL, signed, retried after a failure, and visible to staff")
    func delivery() async throws {
        // The employer's system: fails the first call, accepts the next.
        try await WebhookReceiver.run(answer: { number, _ in Response(status: number == 1 ? .internalServerError : .noContent) }) { port, receiver in
            try await withTestApp(
                mode: .live,
                configure: { config in
                    config.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true)
                    config.webhookPollInterval = .milliseconds(200)
                    config.webhookRetryBaseSeconds = 1
                }
            ) { client, tokens, url async throws in
                let employer = try await TestEmployer.make(client, tokens)
                let hook = try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: employer.key,
                    ["url": "http://127.0.0.1:\(port)/hook"]
                )
                #expect(hook.status == .created)
                let secret = try #require(try hook.get().secret)
                let listed = try await client.answer(Components.Schemas.WebhookList.self, .get, "/api/v1/webhooks", token: employer.key).get()
                #expect(listed.webhooks.count == 1 && listed.webhooks.first?.secret == nil)
                let vacancy = try await client.answer(
                    Components.Schemas.Vacancy.self,
                    .post,
                    "/api/v1/vacancies",
                    token: employer.key,
                    Sample.vacancy()
                ).get().id
                let (referral, _) = try await referWorker(client, tokens, vacancy: Int(vacancy))

                // The first call fails; the retry (after a second) is the second call.
                let calls = try await receiver.calls(2)
                #expect(calls.count == 2)
                let last = try #require(calls.last)
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                let payload = try decoder.decode(Payload.self, from: Data(last.body.utf8))
                #expect(payload.event == "referral.created")
                #expect(payload.referralId == referral)
                #expect(!last.body.contains("Bình") && !last.body.contains("093190123456"))
                #expect(last.headers["jobmatch-event"] == "referral.created")
                // The signature is HMAC-SHA256 over "<t>.<body>" with the secret shown at registration.
                let signature = try #require(last.headers["jobmatch-signature"])
                let parts = Dictionary(
                    uniqueKeysWithValues: signature.split(separator: ",").map { pair -> (String, String) in
                        let items = pair.split(separator: "=", maxSplits: 1)
                        return (String(items[0]), String(items[1]))
                    }
                )
                let mac = HMAC<SHA256>.authenticationCode(for: Data("\(parts["t"]!).\(last.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(parts["v1"] == Data(mac).map { String(format: "%02x", $0) }.joined())

                // The state is written just after the answer: wait for that write.
                try await TableChanges.wait(
                    url: url,
                    table: "webhook_deliveries",
                    until: "SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL) = 1 FROM webhook_deliveries"
                )
                let deliveries = try await client.answer(
                    WebhookRoutes.DeliveryList.self,
                    .get,
                    "/api/staff/webhook-deliveries?employer_id=\(employer.id)",
                    token: tokens.viewer,
                    snakeCase: true
                ).get().deliveries
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
            for target in [
                "http://example.com/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest",
                "https://[::1]/hook", "https://192.168.1.10/x", "https://user:pw@example.com/x", "ftp://example.com/x", "not a url",
            ] {
                let response = try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: employer.key,
                    ["url": target]
                )
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
