import AsyncHTTPClient
import Foundation
import JobMatchCore
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Sends the outbox through the SMS gateway (`SMS_GATEWAY_URL`): each message is POSTed as JSON
/// `{"to", "text", "id"}` with `Idempotency-Key: jobmatch-message-<id>` (a gateway that got it before
/// keeps one), retried with doubling pauses until answered 2xx or tried `maximumAttempts` times.
/// At most `perMinute` requests a minute and `dailyCap` messages a day, counted in the database, so
/// two instances share them: picking is serialised by an advisory lock and a message is leased
/// (`FOR UPDATE SKIP LOCKED`, state `sending`) while it is tried, so no two send it at once. The
/// consent is checked again when the message is picked. Without a gateway nothing is sent: the
/// officer prints the list. A second round announces the follow-up calls that fall due.
struct MessageDeliverer: Service {
    let client: PostgresClient
    let logger: Logger
    let config: SmsConfig
    /// How often the follow-up announcements are looked for.
    var announceInterval: Duration = .seconds(3600)

    /// A message picked for sending.
    struct Due: Sendable {
        let id: Int64
        let attemptID: Int64
        let phone: String
        let text: String
        let attempts: Int
    }

    /// The body the gateway receives.
    struct Payload: Encodable {
        let to: String
        let text: String
        let id: Int64
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await PeriodicRounds.run(
                    enabled: self.config.gateway != nil,
                    firstDelay: self.config.pollInterval,
                    interval: self.config.pollInterval,
                    logger: self.logger,
                    failure: "message delivery round failed"
                ) { _ = try await self.deliverDue() }
            }
            group.addTask {
                await PeriodicRounds.run(
                    enabled: self.config.announceFollowUps,
                    firstDelay: .seconds(30),
                    interval: self.announceInterval,
                    logger: self.logger,
                    failure: "follow-up announcement round failed"
                ) { _ = try await MessageNotices(client: self.client).announceFollowUps(today: LocalDate.today(), logger: self.logger) }
            }
        }
    }

    /// One round: pick what is due within the limits, send each, record the outcome; returns how
    /// many were tried.
    @discardableResult
    func deliverDue() async throws -> Int {
        guard let gateway = self.config.gateway else { return 0 }
        let due = try await self.pick()
        guard !due.isEmpty else { return 0 }
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        )
        do {
            for message in due {
                let (status, error) = await self.send(message, to: gateway, with: http)
                try await self.record(message, status: status, error: error)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try? await http.shutdown()
        return due.count
    }

    /// Leases what is due, as many as the minute's and the day's limits leave (at most 20), and
    /// notes an attempt for each; cancels instead those whose worker no longer consents.
    func pick() async throws -> [Due] {
        let lease = max(60, Int(self.config.timeout.components.seconds) * 3)
        return try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(hashtext('worker_messages_pick'))", logger: self.logger)
            let (lastMinute, today) =
                try await tx.query(
                    """
                    SELECT (SELECT count(*) FROM worker_message_attempts WHERE started_at > now() - interval '1 minute')::int,
                           (SELECT count(*) FROM worker_messages
                            WHERE state = 'sending'
                               OR (state = 'sent' AND sent_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int
                    """,
                    logger: self.logger
                ).decode((Int, Int).self).first(where: { _ in true }) ?? (0, 0)
            let budget = min(20, self.config.perMinute - lastMinute, self.config.dailyCap - today)
            guard budget > 0 else { return [] }
            let rows = try await tx.query(
                """
                UPDATE worker_messages m SET state = 'sending', next_attempt_at = now() + make_interval(secs => \(Double(lease)))
                FROM (SELECT id FROM worker_messages WHERE state IN ('queued', 'sending') AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, id LIMIT \(budget) FOR UPDATE SKIP LOCKED) pick
                WHERE m.id = pick.id
                RETURNING m.id, m.phone, m.body, m.attempts,
                          EXISTS (SELECT 1 FROM worker_consents c WHERE c.worker_id = m.worker_id AND c.purpose = 'messages'
                                                                   AND c.withdrawn_at IS NULL)
                """,
                logger: self.logger
            )
            var picked: [(Int64, String?, String, Int, Bool)] = []
            for try await row in rows.decode((Int64, String?, String, Int, Bool).self) { picked.append(row) }
            var due: [Due] = []
            for (id, phone, body, attempts, consents) in picked.sorted(by: { $0.0 < $1.0 }) {
                guard consents, let phone else {
                    try await tx.query(
                        "UPDATE worker_messages SET state = 'cancelled', last_error = 'Không còn sự đồng ý nhận tin nhắn.' WHERE id = \(id)",
                        logger: self.logger
                    )
                    continue
                }
                // What leaves is what the outbox keeps: the plain text when the gateway needs it.
                let text = self.config.ascii ? AsciiText.fold(body) : body
                if text != body { try await tx.query("UPDATE worker_messages SET body = \(text) WHERE id = \(id)", logger: self.logger) }
                let attemptID = try await tx.query(
                    "INSERT INTO worker_message_attempts (message_id) VALUES (\(id)) RETURNING id",
                    logger: self.logger
                ).first(Int64.self)!
                due.append(Due(id: id, attemptID: attemptID, phone: phone, text: text, attempts: attempts))
            }
            return due
        }
    }

    /// POSTs one message; returns the HTTP status, or why there was none (never the phone or the text).
    func send(_ message: Due, to gateway: URL, with http: HTTPClient) async -> (status: Int?, error: String?) {
        var request = HTTPClientRequest(url: gateway.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "jobmatch-sms/1")
        request.headers.add(name: "Idempotency-Key", value: "jobmatch-message-\(message.id)")
        do {
            let body = try JSONEncoder().encode(Payload(to: message.phone, text: message.text, id: message.id))
            request.body = .bytes(ByteBuffer(bytes: body))
            let (seconds, attoseconds) = self.config.timeout.components
            let timeout = TimeAmount.milliseconds(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            let response = try await http.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), nil)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return (nil, "gateway did not answer in time")
        } catch {
            return (nil, "gateway unreachable (\(String(describing: type(of: error))))")
        }
    }

    /// Writes the outcome: sent; failed for good (after the last attempt, or refused as malformed);
    /// or queued again after a pause.
    func record(_ message: Due, status: Int?, error: String?) async throws {
        let attempts = message.attempts + 1
        try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query(
                "UPDATE worker_message_attempts SET status = \(status), error = \(error) WHERE id = \(message.attemptID)",
                logger: self.logger
            )
            if let status, (200..<300).contains(status) {
                // Sent even if cancelled meanwhile: the gateway has it.
                try await tx.query(
                    """
                    UPDATE worker_messages SET state = 'sent', sent_at = now(), attempts = \(attempts), last_error = NULL
                    WHERE id = \(message.id) AND state IN ('sending', 'cancelled')
                    """,
                    logger: self.logger
                )
                return
            }
            let reason = error ?? "HTTP \(status ?? 0)"
            let refused = status.map { (400..<500).contains($0) && ![408, 425, 429].contains($0) } ?? false
            if refused || attempts >= self.config.maximumAttempts {
                try await tx.query(
                    "UPDATE worker_messages SET state = 'failed', attempts = \(attempts), last_error = \(reason) WHERE id = \(message.id) AND state = 'sending'",
                    logger: self.logger
                )
            } else {
                let pause = WebhookDeliverer.pause(afterAttempt: attempts, base: self.config.retryBaseSeconds)
                try await tx.query(
                    """
                    UPDATE worker_messages SET state = 'queued', attempts = \(attempts), last_error = \(reason),
                           next_attempt_at = now() + make_interval(secs => \(Double(pause)))
                    WHERE id = \(message.id) AND state = 'sending'
                    """,
                    logger: self.logger
                )
            }
        }
    }
}
