import Hummingbird
import PostgresNIO

/// What staff see of employers' webhooks: each one and its recent deliveries (never the secret).
/// The JSON door onto `WebhookOutbox`.
struct WebhookRoutes {
    let outbox: WebhookOutbox

    /// `GET /webhook-deliveries` answer.
    struct DeliveryList: ResponseCodable {
        let deliveries: [WebhookOutbox.Delivery]
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
        let state = try query.get("state").map { try Input.choice($0, as: WebhookOutbox.DeliveryState.self, field: "state") }
        let limit = try Input.limit(query.get("limit"), default: 50, maximum: 500)
        return DeliveryList(deliveries: try await self.outbox.deliveries(employerID: employerID, state: state, limit: limit, logger: context.logger))
    }
}
