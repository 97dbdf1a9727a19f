import Hummingbird

/// `/workers/{id}/merge`, `/workers/{id}/merges`, `/worker-merges/{id}/undo`: merging two records
/// of one person, listing a record's merges, and undoing a merge; audited, through `DuplicateService`.
struct WorkerMergeRoutes {
    let service: DuplicateService

    /// `POST /workers/{id}/merge` body: the record `duplicate_id` is merged into `{id}`.
    struct MergeRequest: Decodable {
        let duplicateId: Int64
        let reason: String?
    }

    struct MergeList: ResponseCodable {
        let merges: [WorkerMerger.Outcome]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("workers/:id/merge", use: self.merge)
        group.get("workers/:id/merges", use: self.list)
        group.post("worker-merges/:id/undo", use: self.undo)
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<WorkerMerger.Outcome> {
        _ = try context.requireStaff()
        let keptID = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(MergeRequest.self, context: context)
        let outcome = try await self.service.merge(
            keep: keptID,
            duplicate: input.duplicateId,
            reason: input.reason,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return EditedResponse(status: .created, response: outcome)
    }

    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> WorkerMerger.Outcome {
        _ = try context.requireStaff()
        let mergeID = try context.parameters.require("id", as: Int64.self)
        return try await self.service.undo(mergeID, by: try context.requirePrincipal(), logger: context.logger)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> MergeList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return MergeList(merges: try await self.service.merges(of: id, logger: context.logger))
    }
}
