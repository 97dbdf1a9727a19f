import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle

/// Delivers queued webhook events: each is POSTed as JSON, signed with the webhook's secret
/// (`Jobmatch-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), and retried with
/// growing pauses (30 s, 1, 2, 4 ... minutes, at most 6 hours apart) until it is answered with
/// 2xx or has failed 10 times. Redirects are not followed and the target is checked against the
/// policy again before every attempt; the attempt connects to the address that check resolved
/// (no second lookup), with the `Host` header, TLS SNI and certificate check for the URL's name. A delivery is leased for five minutes while it is tried, so
/// two service instances never send the same attempt.
struct WebhookDeliverer: Service {
    let client: PostgresClient
    let logger: Logger
    let policy: WebhookTargetPolicy
    /// Opens the sealed signing secrets.
    let keyring: WebhookSecretKeyring
    /// How often the queue is looked at.
    let interval: Duration
    /// The pause after a first failed attempt (doubling after each further one).
    var retryBaseSeconds = 30
    static let maximumAttempts = 10

    struct Due {
        let id: Int64
        let url: String
        /// The signing secret; nil when no configured key opens it (the attempt then fails, and is retried).
        let secret: String?
        let event: String
        let payload: String
        let attempts: Int
    }

    func run() async throws {
        // A graceful shutdown cancels the loop even mid-round (waiting for a database connection
        // that will not come must not hold the process up).
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.deliverDue()
                } catch  where !Task.isCancelled {
                    self.logger.warning("webhook delivery round failed", metadata: ["error": "\(String(describing: type(of: error)))"])
                } catch {
                    break
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One round: lease what is due, try each, record the outcome.
    func deliverDue() async throws {
        let due = try await self.client.withTransaction(logger: self.logger) { tx in
            let rows = try await tx.query(
                """
                UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '5 minutes'
                FROM (SELECT d2.id FROM webhook_deliveries d2
                      WHERE d2.delivered_at IS NULL AND d2.gave_up_at IS NULL AND d2.next_attempt_at <= now()
                      ORDER BY d2.next_attempt_at, d2.id LIMIT 20 FOR UPDATE SKIP LOCKED) pick,
                     employer_webhooks h
                WHERE d.id = pick.id AND h.id = d.webhook_id
                RETURNING d.id, h.url, h.secret, h.secret_key_id, h.secret_sealed, d.event, d.payload::text, d.attempts
                """,
                logger: self.logger
            )
            var due: [Due] = []
            typealias Columns = (Int64, String, String?, String?, ByteBuffer?, String, String, Int)
            for try await (id, url, plain, keyID, sealed, event, payload, attempts) in rows.decode(Columns.self) {
                let secret =
                    if let keyID, let sealed {
                        try? self.keyring.open(.init(keyID: keyID, bytes: Array(sealed.readableBytesView)))
                    } else {
                        plain
                    }
                due.append(Due(id: id, url: url, secret: secret, event: event, payload: payload, attempts: attempts))
            }
            return due
        }
        for delivery in due {
            let (status, error) = await self.attempt(delivery)
            try await self.record(delivery, status: status, error: error)
        }
    }

    /// Sends one delivery; returns the HTTP status, or the reason it could not be sent.
    func attempt(_ delivery: Due) async -> (status: Int?, error: String?) {
        guard let secret = delivery.secret else { return (nil, "signing secret cannot be opened with the configured keys") }
        let target: WebhookTargetPolicy.Target
        do {
            target = try await self.policy.check(delivery.url)
        } catch {
            return (nil, "target refused by policy")
        }
        // A client per attempt, pinned to the checked address: AsyncHTTPClient would otherwise resolve
        // the name again, and a second answer could point inside the network.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10)))
        if let address = target.address { configuration.dnsOverride = [target.host: address] }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "jobmatch-webhooks/1")
        request.headers.add(name: "Jobmatch-Event", value: delivery.event)
        request.headers.add(name: "Jobmatch-Delivery", value: "\(delivery.id)")
        request.headers.add(name: "Jobmatch-Signature", value: Self.signature(payload: delivery.payload, secret: secret, timestamp: timestamp))
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        let outcome: (status: Int?, error: String?)
        do {
            let response = try await http.execute(request, timeout: .seconds(15))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            outcome = (Int(response.status.code), nil)
        } catch {
            outcome = (nil, String(String(describing: error).prefix(200)))
        }
        try? await http.shutdown()
        return outcome
    }

    private func record(_ delivery: Due, status: Int?, error: String?) async throws {
        let attempts = delivery.attempts + 1
        if let status, (200..<300).contains(status) {
            try await self.client.query(
                "UPDATE webhook_deliveries SET attempts = \(attempts), last_status = \(status), last_error = NULL, delivered_at = now() WHERE id = \(delivery.id)",
                logger: self.logger
            )
            return
        }
        let reason = error ?? "HTTP \(status ?? 0)"
        if attempts >= Self.maximumAttempts {
            try await self.client.query(
                """
                UPDATE webhook_deliveries SET attempts = \(attempts), last_status = \(status), last_error = \(reason), gave_up_at = now()
                WHERE id = \(delivery.id)
                """,
                logger: self.logger
            )
        } else {
            let pause = Self.pause(afterAttempt: attempts, base: self.retryBaseSeconds)
            try await self.client.query(
                """
                UPDATE webhook_deliveries SET attempts = \(attempts), last_status = \(status), last_error = \(reason),
                       next_attempt_at = now() + make_interval(secs => \(Double(pause)))
                WHERE id = \(delivery.id)
                """,
                logger: self.logger
            )
        }
    }

    /// Seconds to wait after the n-th failed attempt: `base`, then doubling, at most 6 hours.
    static func pause(afterAttempt attempt: Int, base: Int = 30) -> Int {
        min(base * (1 << min(max(attempt - 1, 0), 20)), 6 * 3600)
    }

    /// `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<payload>")>`.
    static func signature(payload: String, secret: String, timestamp: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(payload)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + Data(mac).map { String(format: "%02x", $0) }.joined()
    }
}
