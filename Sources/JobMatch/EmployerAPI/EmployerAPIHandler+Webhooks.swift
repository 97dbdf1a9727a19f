import EmployerAPI
import Foundation
import OpenAPIRuntime

/// Webhooks an employer registers to hear about new referrals.
extension EmployerAPIHandler {
    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let caller = try Self.caller()
        let hooks = try await self.webhooks.list(caller: caller)
        return .ok(.init(body: .json(.init(webhooks: hooks.map(Self.view)))))
    }

    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        let caller = try Self.caller()
        guard case .json(let body) = input.body else { throw Self.notJSON }
        let hook = try await self.webhooks.create(url: body.url, caller: caller)
        return .created(.init(body: .json(Self.view(hook))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        try await self.webhooks.remove(input.path.webhookId, caller: try Self.caller())
        return .noContent(.init())
    }

    static func view(_ hook: WebhookRepository.Webhook) -> Components.Schemas.Webhook {
        .init(id: hook.id, url: hook.url, events: [.referral_created], secret: hook.secret, createdAt: hook.createdAt)
    }
}
