import Foundation
import Logging
import PostgresNIO

/// Writes the audit trail: who, when, what, on which record, before and after. Called inside the
/// transaction of the write it describes, so the two commit or fail together.
enum AuditLog {
    static func record(
        on connection: PostgresConnection, actor: Principal?, action: String, entity: String, entityID: Int64?,
        before: [String: String]? = nil, after: [String: String]? = nil, logger: Logger
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

    /// A flat object of strings as JSON text (keys sorted), written by hand: this runs on every
    /// write, and Foundation's serializer is slow on Linux.
    static func json(_ object: [String: String]?) -> String? {
        guard let object else { return nil }
        var text = "{"
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            Self.appendString(key, to: &text)
            text += ":"
            Self.appendString(object[key]!, to: &text)
        }
        return text + "}"
    }

    private static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
