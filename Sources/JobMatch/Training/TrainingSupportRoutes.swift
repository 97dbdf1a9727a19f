import Hummingbird

/// `POST /training-supports`: State support for a short course (Decision 46/2015), through `TrainingService`.
struct TrainingSupportRoutes {
    let service: TrainingService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("training-supports", use: self.grant)
    }

    @Sendable func grant(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(TrainingSupportInput.self, context: context)
        let id = try await self.service.grantSupport(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }
}
