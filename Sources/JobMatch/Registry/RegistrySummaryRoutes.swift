import Hummingbird
import JobMatchCore

/// `GET /registry/summary?by=ward|legacy_district&as_of=`: registered workers counted by 2025
/// ward or by legacy district, through `RegistrySummaryService`.
struct RegistrySummaryRoutes {
    let service: RegistrySummaryService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("registry/summary", use: self.summary)
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> RegistrySummary {
        _ = try context.requireStaff()
        let query = request.uri.queryParameters
        let grouping = try Input.choice(query.get("by") ?? "ward", as: RegistrySummary.Grouping.self, field: "by")
        let asOf = try query.get("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tính") } ?? .today()
        return try await self.service.summary(by: grouping, asOf: asOf, logger: context.logger)
    }
}
