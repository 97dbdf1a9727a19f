import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Merging two records of one person, listing a record's merges, and undoing a merge; audited.
struct WorkerMergeRoutes {
    let client: PostgresClient

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
        let staff = try context.requireStaff()
        let keptID = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(MergeRequest.self, context: context)
        let reason = try CleanText.optional(input.reason, field: "reason", label: "Lý do gộp", maxLength: 1000)
        let logger = context.logger
        let outcome = try await self.client.withTransaction(logger: logger) { tx in
            let outcome = try await WorkerMerger(connection: tx, logger: logger)
                .merge(keep: keptID, duplicate: input.duplicateId, reason: reason, staffID: staff.id)
            try await AuditLog.record(on: tx, actor: context.principal, action: "merge", entity: "worker", entityID: keptID,
                                      after: Self.summary(outcome), logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "merged_into", entity: "worker", entityID: input.duplicateId,
                                      before: ["merged_into": ""], after: ["merged_into": "\(keptID)", "merge_id": "\(outcome.id)"], logger: logger)
            return outcome
        }
        return EditedResponse(status: .created, response: outcome)
    }

    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> WorkerMerger.Outcome {
        let staff = try context.requireStaff()
        let mergeID = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let outcome = try await WorkerMerger(connection: tx, logger: logger).undo(mergeID, staffID: staff.id)
            try await AuditLog.record(on: tx, actor: context.principal, action: "unmerge", entity: "worker", entityID: outcome.keptId,
                                      before: Self.summary(outcome), logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "unmerged", entity: "worker", entityID: outcome.mergedId,
                                      before: ["merged_into": "\(outcome.keptId)", "merge_id": "\(mergeID)"], after: ["merged_into": ""],
                                      logger: logger)
            return outcome
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> MergeList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let rows = try await self.client.query(
            """
            SELECT id, kept_id, merged_id, reason, filled, moved::text, copied::text, merged_at::text, undone_at::text
            FROM worker_merges WHERE kept_id = \(id) OR merged_id = \(id) ORDER BY id
            """, logger: context.logger)
        var merges: [WorkerMerger.Outcome] = []
        for try await (mergeID, kept, merged, reason, filled, moved, copied, mergedAt, undoneAt)
            in rows.decode((Int64, Int64, Int64, String?, [String], String, String, String, String?).self)
        {
            merges.append(WorkerMerger.Outcome(
                id: mergeID, keptId: kept, mergedId: merged, reason: reason, filled: filled,
                moved: (try? JSONDecoder().decode([String: [Int64]].self, from: Data(moved.utf8))) ?? [:],
                copied: (try? JSONDecoder().decode([String: [String]].self, from: Data(copied.utf8))) ?? [:],
                leftWithDuplicate: [:], mergedAt: mergedAt, undoneAt: undoneAt))
        }
        return MergeList(merges: merges)
    }

    /// The audit entry's values: which fields were filled and how many rows moved, never the values themselves.
    static func summary(_ outcome: WorkerMerger.Outcome) -> [String: String] {
        var summary = ["merge_id": "\(outcome.id)", "merged_id": "\(outcome.mergedId)", "filled": outcome.filled.joined(separator: ",")]
        for (table, ids) in outcome.moved { summary["moved." + table] = ids.map(String.init).joined(separator: ",") }
        for (table, values) in outcome.copied { summary["copied." + table] = values.joined(separator: ",") }
        return summary
    }
}
