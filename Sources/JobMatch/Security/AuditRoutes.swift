import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// `GET /audit?entity=worker&entity_id=1`: a record's history, newest first. For admins only (the
/// images of edits hold personal data), and each read is itself audited (`read_audit`).
struct AuditRoutes {
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

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("audit", use: self.history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> History {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let query = request.uri.queryParameters
        guard let entity = query.get("entity"), Self.entities.contains(entity) else {
            throw AppError.invalid(field: "entity", "entity phải là một trong: \(Self.entities.sorted().joined(separator: ", ")).")
        }
        guard let entityID = query.get("entity_id"), Int64(entityID) != nil else {
            throw AppError.invalid(field: "entity_id", "entity_id phải là một số.")
        }
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT to_char(a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS'), a.actor_kind,
                       CASE a.actor_kind WHEN 'staff' THEN u.username WHEN 'employer' THEN 'employer:' || a.actor_id END,
                       a.action, a.before::text, a.after::text
                FROM audit_log a LEFT JOIN staff_users u ON a.actor_kind = 'staff' AND u.id = a.actor_id
                WHERE a.entity = \(entity) AND a.entity_id = \(entityID)
                ORDER BY a.id DESC LIMIT 500
                """, logger: logger)
            var entries: [Entry] = []
            let decoder = JSONDecoder()
            for try await (at, kind, actor, action, before, after) in rows.decode((String, String, String?, String, String?, String?).self) {
                entries.append(Entry(
                    at: at, actorKind: kind, actor: actor, action: action,
                    before: before.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) },
                    after: after.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) }))
            }
            try await AuditLog.record(on: tx, actor: context.principal, action: "read_audit", entity: entity, entityID: Int64(entityID),
                                      logger: logger)
            return History(entity: entity, entityId: entityID, entries: entries)
        }
    }
}
