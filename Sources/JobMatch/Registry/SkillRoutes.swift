import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The skills catalogue (names in Vietnamese), from which workers' and vacancies' skills are picked.
struct SkillRoutes {
    let client: PostgresClient

    struct Skill: ResponseCodable {
        let id: Int64
        let name: String
    }

    struct SkillList: ResponseCodable {
        let skills: [Skill]
    }

    /// `POST /skills` body.
    struct NewSkill: Decodable {
        let name: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("skills", use: self.list)
        group.post("skills", use: self.create)
    }

    /// `GET /skills?q=`: matching without diacritics, in Vietnamese order.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> SkillList {
        _ = try context.requireStaff()
        let limit = try Input.limit(request.uri.queryParameters.get("limit"), default: 100, maximum: 500)
        return SkillList(skills: try await Self.search(request.uri.queryParameters.get("q"), limit: limit, client: self.client, logger: context.logger))
    }

    /// Skills whose name contains `text` (without diacritics), in Vietnamese order; all when nil.
    /// The staff list and the employer API's catalogue both use it.
    static func search(_ text: String?, limit: Int, client: PostgresClient, logger: Logger) async throws -> [Skill] {
        let text = text.map(CleanText.normalize).flatMap { $0.isEmpty ? nil : $0 }
        if let text, text.count > 100 { throw AppError.invalid(field: "q", "Từ khóa tìm kiếm dài quá 100 ký tự.") }
        let rows = try await client.query(
            """
            SELECT id, name_vi FROM skills
            WHERE \(text)::text IS NULL OR lower(immutable_unaccent(name_vi)) LIKE '%' || lower(immutable_unaccent(\(text)::text)) || '%'
            ORDER BY name_vi COLLATE "vi-VN-x-icu", id LIMIT \(limit)
            """, logger: logger)
        var skills: [Skill] = []
        for try await (id, name) in rows.decode((Int64, String).self) { skills.append(Skill(id: id, name: name)) }
        return skills
    }

    /// `POST /skills`: a new catalogue entry; the same name (ignoring case and diacritics) is a 409.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Skill> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(NewSkill.self, context: context)
        let name = try CleanText.required(input.name, field: "name", label: "Tên kỹ năng", maxLength: 200)
        let logger = context.logger
        let skill = try await self.client.withTransaction(logger: logger) { tx in
            // One catalogue writer at a time, so two clerks cannot add the same skill spelled differently.
            try await tx.query("LOCK TABLE skills IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            if let existing = try await tx.query(
                "SELECT id FROM skills WHERE lower(immutable_unaccent(name_vi)) = lower(immutable_unaccent(\(name)))", logger: logger
            ).first(Int64.self) {
                throw AppError.conflict("Kỹ năng này đã có trong danh mục (mã \(existing)).", field: "name", extra: ["existing_id": existing])
            }
            let id = try await tx.query("INSERT INTO skills (name_vi) VALUES (\(name)) RETURNING id", logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "skill", entityID: id,
                                      after: ["name": name], logger: logger)
            return Skill(id: id, name: name)
        }
        return EditedResponse(status: .created, response: skill)
    }
}
