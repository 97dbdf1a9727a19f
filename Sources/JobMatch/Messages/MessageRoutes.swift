import Hummingbird
import JobMatchCore

/// The JSON door onto `MessageOutbox`: `GET /messages?state=&kind=&limit=` (newest first; phones
/// for officers and admins, audited, masked for viewers) and `POST /messages/{id}/retry` for a
/// failed message.
struct MessageRoutes {
    let outbox: MessageOutbox

    /// `GET /messages` answer.
    struct MessageList: ResponseCodable {
        let messages: [OutboxMessage]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("messages", use: self.list)
        group.post("messages/:id/retry", use: self.retry)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> MessageList {
        let staff = try context.requireStaff()
        let query = request.uri.queryParameters
        let state = try query.get("state").map { try Input.choice($0, as: MessageState.self, field: "state") }
        let kind = try query.get("kind").map { try Input.choice($0, as: MessageKind.self, field: "kind") }
        let limit = try Input.limit(query.get("limit"), default: 100, maximum: 1000)
        let messages = try await self.outbox.list(
            state: state,
            kind: kind,
            limit: limit,
            withPhones: staff.role.canWrite,
            actor: context.principal,
            logger: context.logger
        )
        return MessageList(messages: messages)
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> OutboxMessage {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.outbox.retry(id, actor: context.principal, logger: context.logger)
    }
}
