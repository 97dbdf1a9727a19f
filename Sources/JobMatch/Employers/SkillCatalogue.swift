import JobMatchCore
import Logging
import PostgresNIO

/// The skills catalogue (names in Vietnamese), from which workers' and vacancies' skills are
/// picked: searching it without diacritics in Vietnamese order, and adding to it.
struct SkillCatalogue: Sendable {
    let client: PostgresClient

    /// Skills whose name contains `text` (without diacritics), in Vietnamese order; all when nil.
    /// The staff list and the employer API's catalogue both use it.
    func search(_ text: String?, limit: Int, logger: Logger) async throws -> [Skill] {
        let text = text.map(CleanText.normalize).flatMap { $0.isEmpty ? nil : $0 }
        if let text, text.count > 100 { throw AppError.invalid(field: "q", "Từ khóa tìm kiếm dài quá 100 ký tự.") }
        let rows = try await self.client.query(
            """
            SELECT id, name_vi FROM skills
            WHERE \(text)::text IS NULL OR lower(immutable_unaccent(name_vi)) LIKE '%' || lower(immutable_unaccent(\(text)::text)) || '%'
            ORDER BY name_vi COLLATE "vi-VN-x-icu", id LIMIT \(limit)
            """,
            logger: logger
        )
        var skills: [Skill] = []
        for try await (id, name) in rows.decode((Int64, String).self) { skills.append(Skill(id: id, name: name)) }
        return skills
    }

    /// A new catalogue entry; the same name (ignoring case and diacritics) is a 409.
    func add(name: String?, by actor: Principal, logger: Logger) async throws -> Skill {
        let name = try CleanText.required(name, field: "name", label: "Tên kỹ năng", maxLength: 200)
        return try await self.client.withTransaction(logger: logger) { tx in
            // One catalogue writer at a time, so two clerks cannot add the same skill spelled differently.
            try await tx.query("LOCK TABLE skills IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            if let existing = try await tx.query(
                "SELECT id FROM skills WHERE lower(immutable_unaccent(name_vi)) = lower(immutable_unaccent(\(name)))",
                logger: logger
            ).first(Int64.self) {
                throw AppError.conflict("Kỹ năng này đã có trong danh mục (mã \(existing)).", field: "name", extra: ["existing_id": existing])
            }
            let id = try await tx.query("INSERT INTO skills (name_vi) VALUES (\(name)) RETURNING id", logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "skill", entityID: id, after: ["name": name], logger: logger)
            return Skill(id: id, name: name)
        }
    }
}
