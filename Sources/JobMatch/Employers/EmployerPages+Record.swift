import Foundation
import Hummingbird
import JobMatchCore
import PostgresNIO

/// An employer's page and its API keys.
extension EmployerPages {
    /// How many recent webhook deliveries the page shows.
    static let deliveryLimit = 20

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let done = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        return try await self.employerPage(id, done: done, context: context)
    }

    /// The page; `issued` is a key just made, shown this once (the answer to the form itself, never a redirect).
    /// `keyProblem` is why the new-key form was refused (shown next to it, with `status`).
    func employerPage(
        _ id: Int64,
        done: String = "",
        issued: IssuedKey? = nil,
        replaced: Int64? = nil,
        keyProblem: String = "",
        status: HTTPResponse.Status = .ok,
        context: AppRequestContext
    ) async throws -> Response {
        var values = EmployerRecord.values(try await self.service.employer(id, logger: context.logger))
        let keys = try await self.service.keys(of: id, logger: context.logger)
        values["keys"] = keys.map { key -> [String: Any] in
            [
                "id": key.id, "prefix": key.prefix, "created": WebLabels.timestamp(key.createdAt), "lastUsed": WebLabels.timestamp(key.lastUsedAt),
                "revoked": WebLabels.timestamp(key.revokedAt), "live": key.revokedAt == nil && !key.expired,
                "expires": WebDates.display(key.expiresOn), "expired": key.revokedAt == nil && key.expired,
            ]
        }
        values["keyProblem"] = keyProblem
        values["hasKeys"] = !keys.isEmpty
        let deliveries = try await WebhookOutbox(client: self.client).deliveries(
            employerID: id,
            state: nil,
            limit: Self.deliveryLimit,
            logger: context.logger
        )
        values["deliveries"] = deliveries.map { delivery -> [String: Any] in
            [
                "id": delivery.id, "url": delivery.url, "event": WebLabels.word(delivery.event, in: WebLabels.webhookEvents),
                "created": WebLabels.timestamp(delivery.createdAt), "state": WebLabels.word(delivery.state, in: WebLabels.deliveryState),
                "delivered": delivery.state == "delivered", "gaveUp": delivery.state == "gave_up",
                "attempts": delivery.attempts, "lastStatus": delivery.lastStatus.map(String.init) ?? "", "lastError": delivery.lastError ?? "",
                "next": WebLabels.timestamp(delivery.nextAttemptAt),
            ]
        }
        values["hasDeliveries"] = !deliveries.isEmpty
        values["deliveryLimit"] = Self.deliveryLimit
        values["done"] = done
        if let issued {
            values["issued"] = ["key": issued.apiKey, "prefix": issued.prefix, "replaced": replaced.map { "\($0)" } ?? ""]
        }
        return self.renderer.page(
            "employer",
            title: values["name"] as? String ?? "Doanh nghiệp",
            context: context,
            values: values,
            section: "employers",
            status: status
        )
    }

    @Sendable func issueKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        do {
            let issued = try await self.service.issueKey(
                for: id,
                expiresOn: posted.text("expires_on"),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return try await self.employerPage(id, issued: issued, context: context)
        } catch let error as AppError where error.field == "expires_on" {
            return try await self.employerPage(id, keyProblem: error.detail ?? error.title, status: error.status, context: context)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await WebForm.read(request, context: context)
        let key = try await self.key(of: id, context: context)
        _ = try await self.service.revokeKey(key, by: try context.requirePrincipal(), logger: context.logger)
        return WebRenderer.redirect("/employers/\(id)?done=revoked")
    }

    @Sendable func rotateKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await WebForm.read(request, context: context)
        let key = try await self.key(of: id, context: context)
        let issued = try await self.service.rotateKey(key, by: try context.requirePrincipal(), logger: context.logger)
        return try await self.employerPage(id, issued: issued, replaced: key, context: context)
    }

    /// The key named in the path, which must be one of this employer's.
    private func key(of employer: Int64, context: AppRequestContext) async throws -> Int64 {
        let key = try context.parameters.require("key", as: Int64.self)
        guard try await self.service.key(key, belongsTo: employer, logger: context.logger) else {
            throw AppError.notFound("khóa API \(key) của doanh nghiệp \(employer)")
        }
        return key
    }
}
