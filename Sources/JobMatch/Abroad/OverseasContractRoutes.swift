import Hummingbird

/// `/overseas-contracts`: contracts to work abroad (Law 69/2020), whose departure is the counted
/// event, through `AbroadService`.
struct OverseasContractRoutes {
    let service: AbroadService

    /// `POST /overseas-contracts/{id}/departure` body.
    struct Departure: Decodable {
        let departureDate: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("overseas-contracts", use: self.create)
        group.post("overseas-contracts/:id/departure", use: self.depart)
        group.post("overseas-contracts/:id/early-return", use: self.earlyReturn)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(OverseasContractInput.self, context: context)
        let id = try await self.service.addContract(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func depart(_ request: Request, context: AppRequestContext) async throws -> DepartureView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(Departure.self, context: context)
        return try await self.service.depart(id, on: input.departureDate, by: try context.requirePrincipal(), logger: context.logger)
    }

    /// Records that a worker came home before the contract's term; the placement stays counted.
    @Sendable func earlyReturn(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(EarlyReturnInput.self, context: context)
        try await self.service.earlyReturn(id, input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .ok, response: CreatedID(id: id))
    }
}
