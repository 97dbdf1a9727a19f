import Hummingbird

/// `POST /overseas-enterprises`: enterprises licensed to send workers abroad under contract (Law 69/2020), through `AbroadService`.
struct OverseasEnterpriseRoutes {
    let service: AbroadService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("overseas-enterprises", use: self.create)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(OverseasEnterpriseInput.self, context: context)
        let id = try await self.service.addEnterprise(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }
}
