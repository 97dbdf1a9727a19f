import Hummingbird
import JobMatchCore

/// The JSON door onto `FollowUpService`: `GET /follow-ups/due` (phones for writers only),
/// `POST /placements/{id}/follow-ups` (officers and admins; audited), `GET /reports/retention`.
struct FollowUpRoutes {
    let service: FollowUpService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("follow-ups/due", use: self.due)
        group.post("placements/:id/follow-ups", use: self.record)
        group.get("reports/retention", use: self.retention)
    }

    @Sendable func due(_ request: Request, context: AppRequestContext) async throws -> FollowUpService.DueList {
        let staff = try context.requireStaff()
        let due = try await self.service.due(
            today: LocalDate.today(),
            withPhones: staff.role.canWrite,
            actor: context.principal,
            logger: context.logger
        )
        return FollowUpService.DueList(followUps: due)
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<FollowUpService.Recorded> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(FollowUpInput.self, context: context)
        let valid = try ValidFollowUp(input, today: LocalDate.today())
        let recorded = try await self.service.record(id, valid, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: recorded)
    }

    @Sendable func retention(_ request: Request, context: AppRequestContext) async throws -> FollowUpService.Retention {
        _ = try context.requireStaff()
        return try await self.service.retention(logger: context.logger)
    }
}
