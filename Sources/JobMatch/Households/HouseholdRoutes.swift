import Hummingbird
import JobMatchCore

/// `/households`: households and their poverty status over time, through `HouseholdService`.
struct HouseholdRoutes {
    let service: HouseholdService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("households", use: self.create)
        group.get("households/:id", use: self.show)
        group.post("households/:id/statuses", use: self.addStatus)
        group.get("households/:id/status", use: self.statusAsOf)
    }

    /// Records a status from a review; an open-ended earlier status ends the day before it.
    @Sendable func addStatus(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(HouseholdStatusInput.self, context: context)
        let statusID = try await self.service.addStatus(to: id, input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: statusID))
    }

    /// The status in force on a date (today by default).
    @Sendable func statusAsOf(_ request: Request, context: AppRequestContext) async throws -> HouseholdStatusAsOf {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let date = try request.uri.queryParameters.get("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tra cứu") } ?? LocalDate.today()
        return try await self.service.status(of: id, on: date, logger: context.logger)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(HouseholdInput.self, context: context)
        let id = try await self.service.register(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    /// A household and its statuses; reading it is a sensitive read (a family's poverty status), audited.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HouseholdView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.service.view(id, by: try context.requirePrincipal(), logger: context.logger)
    }
}
