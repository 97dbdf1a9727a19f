import Hummingbird

/// `/workers/duplicates`: pairs of records that probably are one person without sharing a CCCD,
/// for staff to review, and marking a pair as two people; through `DuplicateService`.
struct DuplicateRoutes {
    let service: DuplicateService

    /// One probable pair, under the name the API has always used.
    typealias Pair = DuplicatePair

    struct PairList: ResponseCodable {
        let pairs: [DuplicatePair]
    }

    /// `POST /workers/duplicates/dismiss` body: a pair found to be two different people.
    struct Dismissal: Decodable {
        let firstId: Int64
        let secondId: Int64
        let reason: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/duplicates", use: self.list)
        group.post("workers/duplicates/dismiss", use: self.dismiss)
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(Dismissal.self, context: context)
        let first = try await self.service.dismiss(
            input.firstId,
            input.secondId,
            reason: input.reason,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return EditedResponse(status: .created, response: CreatedID(id: first))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PairList {
        _ = try context.requireStaff()
        let limit = try Input.limit(request.uri.queryParameters.get("limit"), default: 50, maximum: 500)
        return PairList(pairs: try await self.service.pairs(limit: limit, logger: context.logger))
    }
}
