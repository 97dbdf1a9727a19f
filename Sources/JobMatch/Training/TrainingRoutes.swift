import Hummingbird

/// `/courses` and `/enrolments`: training courses (Law 74/2014 levels) and enrolments, through `TrainingService`.
struct TrainingRoutes {
    let service: TrainingService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("courses", use: self.createCourse)
        group.post("enrolments", use: self.enrol)
        group.post("enrolments/:id/complete", use: self.complete)
    }

    @Sendable func createCourse(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(CourseInput.self, context: context)
        let id = try await self.service.createCourse(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(EnrolmentInput.self, context: context)
        let id = try await self.service.enrol(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func complete(_ request: Request, context: AppRequestContext) async throws -> EnrolmentView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(CompletionInput.self, context: context)
        return try await self.service.complete(id, input, by: try context.requirePrincipal(), logger: context.logger)
    }
}
