import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Writes the audit trail: who, when, what, on which record, before and after. Called inside the
/// transaction of the write it describes, so the two commit or fail together.
enum AuditLog {
    static func record(
        on connection: PostgresConnection,
        actor: Principal?,
        action: String,
        entity: String,
        entityID: Int64?,
        before: [String: String]? = nil,
        after: [String: String]? = nil,
        logger: Logger
    ) async throws {
        let kind = actor?.actor.kind ?? "system"
        let actorID = actor?.actor.id
        try await connection.query(
            """
            INSERT INTO audit_log (actor_kind, actor_id, action, entity, entity_id, before, after)
            VALUES (\(kind), \(actorID), \(action), \(entity), \(entityID.map(String.init)), \(json(before))::jsonb, \(json(after))::jsonb)
            """,
            logger: logger
        )
    }

    static func json(_ object: [String: String]?) -> String? {
        object.map(FlatJSON.encode)
    }
}
