import Hummingbird
import JobMatchCore

/// `POST /matching/batches` runs a batch assignment over all open vacancies (officers and
/// admins); `GET /matching/batches/{id}` shows a batch and its proposals as they stand now, for
/// staff to accept or drop (`POST /referrals/{id}/accept|withdraw`). The JSON door onto `MatchBatchService`.
struct MatchBatchRoutes {
    let batches: MatchBatchService

    /// `POST /matching/batches` body (optional).
    struct Options: Decodable {
        let candidatesPerVacancy: Int?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("matching/batches", use: self.run)
        group.get("matching/batches/:id", use: self.show)
    }

    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MatchBatchService.BatchView> {
        _ = try context.requireStaff()
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let options = body.readableBytes == 0 ? Options(candidatesPerVacancy: nil) : try await request.decodeJSON(Options.self, context: context)
        let view = try await self.batches.run(candidatesPerVacancy: options.candidatesPerVacancy, actor: context.principal, logger: context.logger)
        return EditedResponse(status: .created, response: view)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> MatchBatchService.BatchView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        guard let view = try await self.batches.view(id, logger: context.logger) else { throw AppError.notFound("lượt ghép \(id)") }
        return view
    }
}
