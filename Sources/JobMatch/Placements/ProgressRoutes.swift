import Foundation
import Hummingbird
import JobMatchCore

/// `GET /progress?as_of=`: progress toward the plan's targets, as it stood at the end of a day
/// (default today); `GET /targets` and, for an admin, `POST /targets` to add a target and
/// `PUT /targets/{key}` to change one.
/// The JSON door onto `ProgressService`.
struct ProgressRoutes {
    let progress: ProgressService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("progress", use: self.show)
        group.get("targets", use: self.targets)
        group.post("targets", use: self.addTarget)
        group.put("targets/:key", use: self.changeTarget)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ProgressService.ProgressView {
        _ = try context.requireStaff()
        let asOf =
            try request.uri.queryParameters.get("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tính số liệu") } ?? LocalDate.today()
        return try await self.progress.progress(asOf: asOf, logger: context.logger)
    }

    @Sendable func targets(_ request: Request, context: AppRequestContext) async throws -> ProgressService.TargetList {
        _ = try context.requireStaff()
        return try await self.progress.targets(logger: context.logger)
    }

    @Sendable func addTarget(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanTarget> {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let input = try await request.decodeJSON(TargetInput.self, context: context)
        return EditedResponse(status: .created, response: try await self.progress.addTarget(input, actor: context.principal, logger: context.logger))
    }

    @Sendable func changeTarget(_ request: Request, context: AppRequestContext) async throws -> ProgressService.TargetList {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let key = try context.parameters.require("key")
        let input = try await request.decodeJSON(ProgressService.TargetChange.self, context: context)
        return try await self.progress.changeTarget(key, input, actor: context.principal, logger: context.logger)
    }
}
