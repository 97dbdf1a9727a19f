import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Probable duplicates and merging: the pairs of records that probably are one person without
/// sharing a CCCD, marking a pair as two people, merging one record into another and undoing it
/// (`WorkerMerger` does the moving). The staff API and the duplicates page both call these; every
/// write is audited in its transaction.
struct DuplicateService: Sendable {
    let client: PostgresClient

    /// Why a pair is listed, in the clerk's words.
    static let reasons = [
        "name_birth_date": "Trùng họ tên (không dấu) và ngày sinh",
        "phone_similar_name": "Trùng số điện thoại, họ tên gần giống",
        "same_cmnd": "Trùng số CMND cũ",
    ]

    /// Up to `limit` probable pairs (same unaccented name and birth date, same phone and a similar
    /// name, or same CMND), not dismissed, by ids. Two records with different CCCDs are two people.
    func pairs(limit: Int, logger: Logger) async throws -> [DuplicatePair] {
        let rows = try await self.client.query(
            """
            SELECT a.id, b.id, a.full_name, b.full_name, 'name_birth_date' FROM workers a
            JOIN workers b ON b.search_name = a.search_name AND b.birth_date = a.birth_date AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
            UNION
            SELECT a.id, b.id, a.full_name, b.full_name, 'phone_similar_name' FROM workers a
            JOIN workers b ON b.phone = a.phone AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
              AND similarity(a.search_name, b.search_name) >= 0.5
            UNION
            SELECT a.id, b.id, a.full_name, b.full_name, 'same_cmnd' FROM workers a
            JOIN workers b ON b.cmnd = a.cmnd AND b.id > a.id
            WHERE a.anonymised_at IS NULL AND b.anonymised_at IS NULL AND a.merged_into IS NULL AND b.merged_into IS NULL
              AND (a.cccd IS NULL OR b.cccd IS NULL)
            EXCEPT
            SELECT d.first_id, d.second_id, a.full_name, b.full_name, r.reason
            FROM duplicate_dismissals d JOIN workers a ON a.id = d.first_id JOIN workers b ON b.id = d.second_id,
                 unnest(ARRAY['name_birth_date', 'phone_similar_name', 'same_cmnd']) AS r(reason)
            ORDER BY 1, 2 LIMIT \(limit)
            """,
            logger: logger
        )
        var pairs: [DuplicatePair] = []
        for try await (first, second, firstName, secondName, reason) in rows.decode((Int64, Int64, String, String, String).self) {
            pairs.append(
                DuplicatePair(
                    firstId: first,
                    secondId: second,
                    firstName: firstName,
                    secondName: secondName,
                    reason: Self.reasons[reason] ?? reason
                )
            )
        }
        return pairs
    }

    /// Records that two records are two different people; returns the lower id. Twice is a 409.
    func dismiss(_ firstID: Int64, _ secondID: Int64, reason: String?, by actor: Principal, logger: Logger) async throws -> Int64 {
        guard firstID != secondID else { throw AppError.invalid(field: "second_id", "Hai mã hồ sơ phải khác nhau.") }
        let reason = try CleanText.optional(reason, field: "reason", label: "Lý do", maxLength: 1000)
        let (first, second) = (min(firstID, secondID), max(firstID, secondID))
        try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.record(.workers, id: firstID, field: "first_id", label: "người lao động")
            try await check.record(.workers, id: secondID, field: "second_id", label: "người lao động")
            guard
                try await tx.query(
                    """
                    INSERT INTO duplicate_dismissals (first_id, second_id, reason, dismissed_by) VALUES (\(first), \(second), \(reason), \(actor.staffID))
                    ON CONFLICT DO NOTHING RETURNING first_id
                    """,
                    logger: logger
                ).first(Int64.self) != nil
            else { throw AppError.conflict("Cặp hồ sơ này đã được đánh dấu là hai người khác nhau.") }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "dismiss_duplicate",
                entity: "worker",
                entityID: first,
                after: ["other_id": "\(second)", "reason": reason ?? ""],
                logger: logger
            )
        }
        return first
    }

    /// Merges `duplicateID` into `keptID`; both records' audit entries say so.
    func merge(
        keep keptID: Int64,
        duplicate duplicateID: Int64,
        reason: String?,
        by actor: Principal,
        logger: Logger
    ) async throws -> WorkerMerger.Outcome {
        let reason = try CleanText.optional(reason, field: "reason", label: "Lý do gộp", maxLength: 1000)
        return try await self.client.withTransaction(logger: logger) { tx in
            let outcome = try await WorkerMerger(connection: tx, logger: logger)
                .merge(keep: keptID, duplicate: duplicateID, reason: reason, staffID: actor.staffID)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "merge",
                entity: "worker",
                entityID: keptID,
                after: Self.summary(outcome),
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "merged_into",
                entity: "worker",
                entityID: duplicateID,
                before: ["merged_into": ""],
                after: ["merged_into": "\(keptID)", "merge_id": "\(outcome.id)"],
                logger: logger
            )
            return outcome
        }
    }

    /// Undoes a merge: the two records are separate again as before.
    func undo(_ mergeID: Int64, by actor: Principal, logger: Logger) async throws -> WorkerMerger.Outcome {
        try await self.client.withTransaction(logger: logger) { tx in
            let outcome = try await WorkerMerger(connection: tx, logger: logger).undo(mergeID, staffID: actor.staffID)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "unmerge",
                entity: "worker",
                entityID: outcome.keptId,
                before: Self.summary(outcome),
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "unmerged",
                entity: "worker",
                entityID: outcome.mergedId,
                before: ["merged_into": "\(outcome.keptId)", "merge_id": "\(mergeID)"],
                after: ["merged_into": ""],
                logger: logger
            )
            return outcome
        }
    }

    /// The merges a record took part in, kept or merged, oldest first.
    func merges(of id: Int64, logger: Logger) async throws -> [WorkerMerger.Outcome] {
        let rows = try await self.client.query(
            """
            SELECT id, kept_id, merged_id, reason, filled, moved::text, copied::text, merged_at::text, undone_at::text
            FROM worker_merges WHERE kept_id = \(id) OR merged_id = \(id) ORDER BY id
            """,
            logger: logger
        )
        var merges: [WorkerMerger.Outcome] = []
        for try await (mergeID, kept, merged, reason, filled, moved, copied, mergedAt, undoneAt)
            in rows.decode((Int64, Int64, Int64, String?, [String], String, String, String, String?).self)
        {
            merges.append(
                WorkerMerger.Outcome(
                    id: mergeID,
                    keptId: kept,
                    mergedId: merged,
                    reason: reason,
                    filled: filled,
                    moved: (try? JSONDecoder().decode([String: [Int64]].self, from: Data(moved.utf8))) ?? [:],
                    copied: (try? JSONDecoder().decode([String: [String]].self, from: Data(copied.utf8))) ?? [:],
                    leftWithDuplicate: [:],
                    mergedAt: mergedAt,
                    undoneAt: undoneAt
                )
            )
        }
        return merges
    }

    /// The audit entry's values: which fields were filled and how many rows moved, never the values themselves.
    static func summary(_ outcome: WorkerMerger.Outcome) -> [String: String] {
        var summary = ["merge_id": "\(outcome.id)", "merged_id": "\(outcome.mergedId)", "filled": outcome.filled.joined(separator: ",")]
        for (table, ids) in outcome.moved { summary["moved." + table] = ids.map(String.init).joined(separator: ",") }
        for (table, values) in outcome.copied { summary["copied." + table] = values.joined(separator: ",") }
        return summary
    }
}
