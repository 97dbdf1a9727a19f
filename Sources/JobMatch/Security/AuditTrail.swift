import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// A record's history from the audit log, newest first (at most 500 entries); each read is itself
/// audited (`read_audit`), since the images of edits hold personal data.
struct AuditTrail: Sendable {
    let client: PostgresClient

    /// One entry of the trail.
    struct Entry: Codable {
        let at: String
        let actorKind: String
        let actor: String?
        let action: String
        let before: [String: String]?
        let after: [String: String]?
    }

    /// A record's history (`GET /audit`).
    struct History: ResponseCodable {
        let entity: String
        let entityId: String
        let entries: [Entry]
    }

    /// Entities whose history staff may read.
    static let entities: Set<String> = [
        "household", "worker", "course", "enrolment", "employer", "overseas_contract", "overseas_enterprise",
        "vacancy", "referral", "staff_user", "match_weights", "placement", "target", "match_batch",
    ]

    /// The history of `entity` `entityID` (one of `entities`; a number), read by `actor`.
    func history(entity: String, entityID: String, actor: Principal?, logger: Logger) async throws -> History {
        guard Self.entities.contains(entity) else {
            throw AppError.invalid(field: "entity", "entity phải là một trong: \(Self.entities.sorted().joined(separator: ", ")).")
        }
        guard Int64(entityID) != nil else { throw AppError.invalid(field: "entity_id", "entity_id phải là một số.") }
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT to_char(a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS'), a.actor_kind,
                       CASE a.actor_kind WHEN 'staff' THEN u.username WHEN 'employer' THEN 'employer:' || a.actor_id END,
                       a.action, a.before::text, a.after::text
                FROM audit_log a LEFT JOIN staff_users u ON a.actor_kind = 'staff' AND u.id = a.actor_id
                WHERE a.entity = \(entity) AND a.entity_id = \(entityID)
                ORDER BY a.id DESC LIMIT 500
                """,
                logger: logger
            )
            var entries: [Entry] = []
            let decoder = JSONDecoder()
            for try await (at, kind, actorName, action, before, after) in rows.decode((String, String, String?, String, String?, String?).self) {
                entries.append(
                    Entry(
                        at: at,
                        actorKind: kind,
                        actor: actorName,
                        action: action,
                        before: before.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) },
                        after: after.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) }
                    )
                )
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "read_audit",
                entity: entity,
                entityID: Int64(entityID),
                logger: logger
            )
            return History(entity: entity, entityId: entityID, entries: entries)
        }
    }
}
