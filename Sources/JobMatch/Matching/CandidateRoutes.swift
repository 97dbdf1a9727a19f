import Hummingbird
import JobMatchCore

/// `GET /vacancies/{id}/candidates?limit=`: the JSON door onto `CandidateService`.
struct CandidateRoutes {
    let candidates: CandidateService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("vacancies/:id/candidates", use: self.list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> CandidateList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let limit = try Input.limit(request.uri.queryParameters.get("limit"), default: 20, maximum: 200)
        return try await self.candidates.list(vacancyID: id, limit: limit, actor: context.principal, logger: context.logger)
    }
}
