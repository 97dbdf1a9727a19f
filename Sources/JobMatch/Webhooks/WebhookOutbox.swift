import Logging
import PostgresNIO

/// The outbox as staff see it: deliveries with their webhook, never the secret.
struct WebhookOutbox: Sendable {
    let client: PostgresClient

    /// A delivery's state: `pending`, `delivered` or `gave_up`.
    enum DeliveryState: String, CaseIterable, Sendable {
        case pending, delivered
        case gaveUp = "gave_up"
    }

    /// One delivery of an event to a webhook.
    struct Delivery: Codable, Sendable {
        let id: Int64
        let webhookId: Int64
        let employerId: Int64
        let url: String
        let event: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let state: String
        let createdAt: String
        let nextAttemptAt: String?
        let deliveredAt: String?
    }

    /// Deliveries, newest first, of one employer's webhooks and in one state when given.
    func deliveries(employerID: Int64?, state: DeliveryState?, limit: Int, logger: Logger) async throws -> [Delivery] {
        let state = state?.rawValue
        let rows = try await self.client.query(
            """
            SELECT d.id, d.webhook_id, h.employer_id, h.url, d.event, d.attempts, d.last_status, d.last_error,
                   CASE WHEN d.delivered_at IS NOT NULL THEN 'delivered' WHEN d.gave_up_at IS NOT NULL THEN 'gave_up' ELSE 'pending' END,
                   to_char(d.created_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'),
                   CASE WHEN d.delivered_at IS NULL AND d.gave_up_at IS NULL THEN to_char(d.next_attempt_at, 'YYYY-MM-DD"T"HH24:MI:SSOF') END,
                   to_char(d.delivered_at, 'YYYY-MM-DD"T"HH24:MI:SSOF')
            FROM webhook_deliveries d JOIN employer_webhooks h ON h.id = d.webhook_id
            WHERE (\(employerID)::bigint IS NULL OR h.employer_id = \(employerID)::bigint)
              AND (\(state)::text IS NULL
                   OR (\(state)::text = 'delivered' AND d.delivered_at IS NOT NULL)
                   OR (\(state)::text = 'gave_up' AND d.gave_up_at IS NOT NULL)
                   OR (\(state)::text = 'pending' AND d.delivered_at IS NULL AND d.gave_up_at IS NULL))
            ORDER BY d.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var deliveries: [Delivery] = []
        typealias Columns = (Int64, Int64, Int64, String, String, Int, Int?, String?, String, String, String?, String?)
        for try await r in rows.decode(Columns.self) {
            deliveries.append(
                Delivery(
                    id: r.0,
                    webhookId: r.1,
                    employerId: r.2,
                    url: r.3,
                    event: r.4,
                    attempts: r.5,
                    lastStatus: r.6,
                    lastError: r.7,
                    state: r.8,
                    createdAt: r.9,
                    nextAttemptAt: r.10,
                    deliveredAt: r.11
                )
            )
        }
        return deliveries
    }
}
