import Hummingbird

/// `/workers/{id}/personal-data` and `/workers/{id}/anonymise`: a person's rights over their data
/// (Law 91/2025), through `PersonalDataService`. Officers and admins read the copy; only an admin anonymises.
struct PersonalDataRoutes {
    let service: PersonalDataService

    /// `POST /workers/{id}/anonymise` body.
    struct Anonymisation: Decodable {
        let reason: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/:id/personal-data", use: self.copy)
        group.post("workers/:id/anonymise", use: self.anonymise)
    }

    @Sendable func copy(_ request: Request, context: AppRequestContext) async throws -> PersonalDataCopy {
        let staff = try context.requireStaff()
        guard staff.role != .viewer else { throw AppError.forbidden }
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.service.copy(of: id, by: try context.requirePrincipal(), logger: context.logger)
    }

    /// Replaces identifying data with placeholders; placements and their counts stay as reported.
    @Sendable func anonymise(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(Anonymisation.self, context: context)
        try await self.service.anonymise(id, reason: input.reason, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .ok, response: CreatedID(id: id))
    }
}
