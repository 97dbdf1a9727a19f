import Logging
import PostgresNIO

extension WorkerService {
    /// A worker's skills in Vietnamese order; 404 when there is no such worker.
    func skills(of id: Int64, logger: Logger) async throws -> [Skill] {
        try await self.client.withConnection { connection in
            try await Self.requireWorker(id, on: connection, logger: logger)
            return try await Self.skills(of: id, on: connection, logger: logger)
        }
    }

    /// Makes the worker's skills exactly `skillIDs` (at most 50, each in the catalogue); audited.
    func replaceSkills(of id: Int64, with skillIDs: [Int64], by actor: Principal, logger: Logger) async throws -> [Skill] {
        let wanted = Array(Set(skillIDs)).sorted()
        guard wanted.count <= 50 else { throw AppError.invalid(field: "skill_ids", "Tối đa 50 kỹ năng.") }
        return try await self.client.withTransaction(logger: logger) { tx in
            try await Self.requireWorker(id, on: tx, logger: logger, lock: true)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            let known = Set(try await tx.query("SELECT id FROM skills WHERE id = ANY(\(wanted))", logger: logger).collect(Int64.self))
            if let (index, unknown) = skillIDs.enumerated().first(where: { !known.contains($0.element) }) {
                throw AppError.invalid(field: "skill_ids[\(index)]", "Không có kỹ năng mã \(unknown) trong danh mục.")
            }
            let before = try await Self.skills(of: id, on: tx, logger: logger).map(\.id)
            try await tx.query("DELETE FROM worker_skills WHERE worker_id = \(id) AND NOT (skill_id = ANY(\(wanted)))", logger: logger)
            try await tx.query(
                "INSERT INTO worker_skills (worker_id, skill_id) SELECT \(id), unnest(\(wanted)::bigint[]) ON CONFLICT DO NOTHING",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "set_skills",
                entity: "worker",
                entityID: id,
                before: ["skill_ids": before.map(String.init).joined(separator: ",")],
                after: ["skill_ids": wanted.map(String.init).joined(separator: ",")],
                logger: logger
            )
            return try await Self.skills(of: id, on: tx, logger: logger)
        }
    }

    static func skills(of id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [Skill] {
        let rows = try await connection.query(
            """
            SELECT s.id, s.name_vi FROM worker_skills ws JOIN skills s ON s.id = ws.skill_id
            WHERE ws.worker_id = \(id) ORDER BY s.name_vi COLLATE "vi-VN-x-icu", s.id
            """,
            logger: logger
        )
        var skills: [Skill] = []
        for try await (skillID, name) in rows.decode((Int64, String).self) { skills.append(Skill(id: skillID, name: name)) }
        return skills
    }
}
