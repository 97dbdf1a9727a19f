import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `GET /vacancies/{id}/candidates`: the ranked eligible workers for a vacancy.
struct CandidateRoutes {
    let client: PostgresClient
    /// The in-memory copy of the eligible workers, when the service keeps one.
    var index: CandidateIndex? = nil

    struct CandidateView: Codable {
        let workerId: Int64
        let fullName: String
        let householdStatus: String
        let distanceKm: Double?
        let score: Int
        let scoreParts: [ScorePart]
    }

    struct CandidateList: ResponseCodable {
        let vacancyId: Int64
        let candidates: [CandidateView]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("vacancies/:id/candidates", use: self.list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> CandidateList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let limit = try Input.limit(request.uri.queryParameters.get("limit"), default: 20, maximum: 200)
        let logger = context.logger
        let index = self.index
        let candidates = try await self.client.withTransaction(logger: logger) { tx in
            // One snapshot for the changes the index has not seen and the ranking itself.
            _ = try await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger).collect()
            guard let candidates = try await CandidateFinder(connection: tx, logger: logger, index: index).list(vacancyID: id, limit: limit) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            // The list shows household status, which is sensitive: the read is audited.
            try await AuditLog.record(on: tx, actor: context.principal, action: "view_candidates", entity: "vacancy", entityID: id,
                                      after: ["candidates": "\(candidates.count)"], logger: logger)
            return candidates
        }
        return CandidateList(vacancyId: id, candidates: candidates.map {
            CandidateView(workerId: $0.workerID, fullName: $0.fullName, householdStatus: $0.householdStatus.rawValue,
                          distanceKm: $0.distanceKm.map { ($0 * 10).rounded() / 10 }, score: $0.score.total, scoreParts: $0.score.parts)
        })
    }
}
