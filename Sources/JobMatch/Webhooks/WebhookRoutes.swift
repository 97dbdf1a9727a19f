import Hummingbird
import Logging
import PostgresNIO

/// What staff see of employers' webhooks: each one and its recent deliveries (never the secret).
struct WebhookRoutes {
    let client: PostgresClient

    struct Delivery: ResponseCodable {
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

    struct DeliveryList: ResponseCodable {
        let deliveries: [Delivery]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("webhook-deliveries", use: self.deliveries)
    }

    /// `GET /webhook-deliveries?employer_id=&state=pending|delivered|gave_up&limit=`, newest first.
    @Sendable func deliveries(_ request: Request, context: AppRequestContext) async throws -> DeliveryList {
        _ = try context.requireStaff()
        let query = request.uri.queryParameters
        let employerID = try query.get("employer_id").map { text -> Int64 in
            guard let id = Int64(text), id > 0 else { throw AppError.invalid(field: "employer_id", "Mã doanh nghiệp phải là số nguyên dương.") }
            return id
        }
        let state = try query.get("state").map { try Input.choice($0, as: State.self, field: "state").rawValue }
        let limit = try Input.limit(query.get("limit"), default: 50, maximum: 500)
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
            """, logger: context.logger)
        var deliveries: [Delivery] = []
        typealias Columns = (Int64, Int64, Int64, String, String, Int, Int?, String?, String, String, String?, String?)
        for try await r in rows.decode(Columns.self) {
            deliveries.append(Delivery(id: r.0, webhookId: r.1, employerId: r.2, url: r.3, event: r.4, attempts: r.5, lastStatus: r.6,
                                       lastError: r.7, state: r.8, createdAt: r.9, nextAttemptAt: r.10, deliveredAt: r.11))
        }
        return DeliveryList(deliveries: deliveries)
    }

    enum State: String, CaseIterable { case pending, delivered, gaveUp = "gave_up" }
}
