import Hummingbird
import JobMatchCore

/// `/api/staff/placements`: the JSON door onto `PlacementService` (record, list a worker's
/// entries, reverse an entry, confirm an employer's hire, list those awaiting confirmation).
struct PlacementRoutes {
    let placements: PlacementService

    /// A worker's entries (`GET /placements?worker_id=`).
    struct EntryList: ResponseCodable {
        let placements: [PlacementService.Entry]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("placements", use: self.create)
        group.get("placements", use: self.list)
        group.post("placements/:id/reverse", use: self.reverse)
        group.post("placements/:id/confirm", use: self.confirm)
        group.get("placements/awaiting-confirmation", use: self.awaiting)
    }

    /// Confirms an employer's hire, which counts from then on (`{"note": ...}` optional).
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> PlacementService.Entry {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(PlacementService.Confirmation.self, context: context)
        return try await self.placements.confirm(id, input, staffID: staff.id, actor: context.principal, logger: context.logger)
    }

    /// Employers' hires still awaiting confirmation, oldest first.
    @Sendable func awaiting(_ request: Request, context: AppRequestContext) async throws -> PlacementService.AwaitingList {
        _ = try context.requireStaff()
        return PlacementService.AwaitingList(placements: try await self.placements.awaitingConfirmation(logger: context.logger))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlacementService.Entry> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewPlacement.self, context: context)
        let entry = try await self.placements.record(input, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: entry)
    }

    /// Reverses a live entry with a reason: a new entry cancels it (the original stays as it was).
    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlacementService.Entry> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(ReferralReason.self, context: context)
        let entry = try await self.placements.reverse(id, input, staffID: staff.id, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: entry)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> EntryList {
        _ = try context.requireStaff()
        guard let text = request.uri.queryParameters.get("worker_id"), let worker = Int64(text) else {
            throw AppError.invalid(field: "worker_id", "Cần mã người lao động (worker_id).")
        }
        return EntryList(placements: try await self.placements.entries(workerID: worker, logger: context.logger))
    }
}
