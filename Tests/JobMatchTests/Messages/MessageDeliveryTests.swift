import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import Testing

@testable import JobMatch

/// Sending the outbox through a real local gateway that fails sometimes: retried until sent, one
/// accepted request per message however many instances send, the minute's and the day's limits
/// kept, nothing to a worker without consent.
@Suite("Messages to workers: delivery")
struct MessageDeliveryTests {
    /// `count` workers with a phone and a consent to messages (and one more without the consent),
    /// each queued one job-fair message; returns the consenting workers' ids.
    static func queued(_ count: Int, url: String) async throws -> [Int64] {
        var workers: [Int64] = []
        var everyone: [Int64] = []
        for index in 0...count {
            let id = try await insertWorker("Người lao động \(index)", url: url)
            try await execute("UPDATE workers SET phone = '09120000\(String(format: "%02d", index))' WHERE id = \(id)", url: url)
            everyone.append(Int64(id))
            if index < count {
                try await execute(
                    "INSERT INTO worker_consents (worker_id, purpose, means, given_at) VALUES (\(id), 'messages', 'paper_form', now() - interval '1 day')",
                    url: url
                )
                workers.append(Int64(id))
            }
        }
        let all = everyone
        let queued = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await MessageNotices(client: client).queueJobFairNotice(
                JobFairNotice(
                    fairKey: "1",
                    day: LocalDate.today().adding(days: 3),
                    place: "Nhà văn hóa phường Vị Thanh",
                    occupation: "Thợ may công nghiệp"
                ),
                workers: all,
                actor: nil,
                logger: TestCluster.logger
            )
        }
        #expect(queued == count, "the worker without consent gets none")
        return workers
    }

    static func config(_ gateway: String?, perMinute: Int = 1000, dailyCap: Int = 1000) -> SmsConfig {
        var config = SmsConfig()
        config.gatewayURL = gateway
        config.perMinute = perMinute
        config.dailyCap = dailyCap
        config.retryBaseSeconds = 1
        config.timeout = .seconds(1)
        config.ascii = true
        config.announceFollowUps = false
        return config
    }

    /// The messages' ids and states.
    static func states(url: String) async throws -> [Int64: String] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            var states: [Int64: String] = [:]
            for try await (id, state) in try await client.query("SELECT id, state FROM worker_messages", logger: TestCluster.logger).decode(
                (Int64, String).self
            ) { states[id] = state }
            return states
        }
    }

    @Test("a gateway failing every third request and hanging once: two instances send every message, each accepted once, as plain text with its id")
    func flakyGateway() async throws {
        try await withTestApp { _, _, url in
            // setup: 9 messages; the gateway answers 500 to every third request and hangs on the second.
            // The deliverers wait 5 s (a loaded machine answered a plain 202 later than 1 s, which then
            // counted as a second timeout and a second acceptance); the hang outlasts that twice over.
            let workers = try await Self.queued(9, url: url)
            try await SmsGatewayReceiver.run(answer: { number in
                number == 2 ? .hang(.seconds(10), status: 500) : number % 3 == 0 ? .status(500) : .status(202)
            }) { gatewayURL, gateway in
                var config = Self.config(gatewayURL)
                config.timeout = .seconds(5)
                // act: two instances, each with its own pool, deliver side by side until all is sent
                // (logging everything they log)
                let recorder = LogRecorder()
                var logger = Logger(label: "sms", factory: recorder.handler)
                logger.logLevel = .trace
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { first in
                    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { second in
                        let one = MessageDeliverer(client: first, logger: logger, config: config)
                        let two = MessageDeliverer(client: second, logger: logger, config: config)
                        try await within(.seconds(120), "every message sent") {
                            while try await Self.states(url: url).values.contains(where: { $0 != "sent" }) {
                                async let a = one.deliverDue()
                                async let b = two.deliverDue()
                                _ = try await (a, b)
                                try await Task.sleep(for: .milliseconds(200))
                            }
                        }
                    }
                }
                // verify: each message accepted exactly once, under its own id and idempotency key
                let states = try await Self.states(url: url)
                #expect(states.count == 9 && states.values.allSatisfy { $0 == "sent" })
                let calls = gateway.calls
                #expect(gateway.accepted == Dictionary(uniqueKeysWithValues: states.keys.map { ($0, 1) }), "\(gateway.accepted)")
                #expect(calls.contains { $0.status == 500 } && calls.count > 9, "the gateway failed some requests")
                #expect(calls.allSatisfy { $0.idempotencyKey == "jobmatch-message-\($0.id)" })
                let phones = Set((0..<9).map { "09120000" + String(format: "%02d", $0) })
                #expect(calls.allSatisfy { phones.contains($0.to) }, "nothing to the worker without consent")
                #expect(Set(calls.map(\.to)).count == workers.count)
                for call in calls {
                    #expect(call.text.unicodeScalars.allSatisfy { $0.isASCII }, "\(call.text)")
                    #expect(
                        call.text.hasPrefix("TT DVVL: Phien giao dich viec lam ngay") && call.text.contains("Tho may cong nghiep"),
                        "\(call.text)"
                    )
                }
                // the outbox keeps what was sent, and every attempt
                #expect(try await rowCount("worker_messages WHERE body LIKE '%Phien giao dich%' AND sent_at IS NOT NULL", url: url) == 9)
                #expect(try await rowCount("worker_message_attempts", url: url) == calls.count)
                #expect(try await rowCount("worker_message_attempts WHERE error = 'gateway did not answer in time'", url: url) == 1)
                // no phone and no text in what the deliverers logged
                let log = recorder.lines.withLock { $0.joined(separator: "\n") }
                #expect(!log.isEmpty, "the deliverers and their pools logged at trace level")
                #expect(!log.contains("0912000") && !log.contains("Phien") && !log.contains("Phiên"), "\(log.suffix(2000))")
            }
        }
    }

    @Test("at most SMS_PER_MINUTE requests a minute and SMS_DAILY_CAP messages a day; without a gateway nothing leaves")
    func limits() async throws {
        try await withTestApp { _, _, url in
            _ = try await Self.queued(10, url: url)
            try await SmsGatewayReceiver.run { gatewayURL, gateway in
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                    // no gateway: the messages wait for the officer to print them
                    let offline = MessageDeliverer(client: client, logger: TestCluster.logger, config: Self.config(nil))
                    #expect(try await offline.deliverDue() == 0)
                    #expect(try await rowCount("worker_messages WHERE state = 'queued'", url: url) == 10)

                    let deliverer = MessageDeliverer(
                        client: client,
                        logger: TestCluster.logger,
                        config: Self.config(gatewayURL, perMinute: 4, dailyCap: 7)
                    )
                    func rounds() async throws {
                        for _ in 0..<3 { try await deliverer.deliverDue() }
                    }
                    /// Moves the recorded attempts (and, with `days`, the sending days) back in time.
                    func later(seconds: Int = 61, days: Int = 0) async throws {
                        try await execute("UPDATE worker_message_attempts SET started_at = started_at - interval '\(seconds) seconds'", url: url)
                        try await execute(
                            "UPDATE worker_messages SET sent_at = sent_at - interval '\(days) days' WHERE sent_at IS NOT NULL",
                            url: url
                        )
                    }
                    try await rounds()
                    #expect(gateway.calls.count == 4, "four a minute")
                    try await later()
                    try await rounds()
                    #expect(gateway.calls.count == 7, "seven a day")
                    try await later()
                    try await rounds()
                    #expect(gateway.calls.count == 7, "the day's cap holds in a new minute")
                    try await later(days: 1)
                    try await rounds()
                    #expect(gateway.calls.count == 10, "the next day the rest leave")
                    #expect(gateway.accepted.count == 10 && gateway.accepted.values.allSatisfy { $0 == 1 })
                }
            }
        }
    }

    @Test("a consent withdrawn, through the API or behind the service's back, stops a queued message")
    func withdrawn() async throws {
        try await withTestApp { client, tokens, url in
            let workers = try await Self.queued(2, url: url)
            // the first worker withdraws through the API: the message is cancelled at once
            let consents = try await client.json(.get, "/api/staff/workers/\(workers[0])/consents", token: tokens.officer)
            let consent = try #require((consents.body["consents"] as? [[String: Any]])?.first?["id"] as? Int)
            let answer = try await client.json(
                .post,
                "/api/staff/workers/\(workers[0])/consents/\(consent)/withdraw",
                token: tokens.officer,
                ["means": "in_person"]
            )
            #expect(answer.status == .ok)
            #expect(try await rowCount("worker_messages WHERE state = 'cancelled' AND worker_id = \(workers[0])", url: url) == 1)
            // the second's consent is withdrawn by another path: the deliverer checks it when it picks
            try await execute("UPDATE worker_consents SET withdrawn_at = now() WHERE worker_id = \(workers[1])", url: url)
            try await SmsGatewayReceiver.run { gatewayURL, gateway in
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pg in
                    let deliverer = MessageDeliverer(client: pg, logger: TestCluster.logger, config: Self.config(gatewayURL))
                    try await deliverer.deliverDue()
                    try await deliverer.deliverDue()
                }
                #expect(gateway.calls.isEmpty)
            }
            #expect(try await rowCount("worker_messages WHERE state = 'cancelled'", url: url) == 2)
        }
    }
}
