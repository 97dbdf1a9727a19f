import Foundation
import Hummingbird
import JobMatchCore

/// `GET /progress?as_of=`: progress toward the plan's targets, as it stood at the end of a day
/// (default today); `GET /targets` and, for an admin, `PUT /targets/{key}` to change a target.
/// The JSON door onto `ProgressService`.
struct ProgressRoutes {
    let progress: ProgressService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("progress", use: self.show)
        group.get("targets", use: self.targets)
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

    @Sendable func changeTarget(_ request: Request, context: AppRequestContext) async throws -> ProgressService.TargetList {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let key = try context.parameters.require("key")
        let input = try await request.decodeJSON(ProgressService.TargetChange.self, context: context)
        return try await self.progress.changeTarget(key, input, actor: context.principal, logger: context.logger)
    }
}
