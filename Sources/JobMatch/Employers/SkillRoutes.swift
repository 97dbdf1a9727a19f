import Hummingbird
import Logging
import PostgresNIO

/// `/skills`: the skills catalogue, through `SkillCatalogue`.
struct SkillRoutes {
    let catalogue: SkillCatalogue

    /// The catalogue's entry, under the name other features use.
    typealias Skill = JobMatch.Skill

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
        return SkillList(skills: try await self.catalogue.search(request.uri.queryParameters.get("q"), limit: limit, logger: context.logger))
    }

    /// `POST /skills`: a new catalogue entry; the same name (ignoring case and diacritics) is a 409.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Skill> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(NewSkill.self, context: context)
        let skill = try await self.catalogue.add(name: input.name, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: skill)
    }
}
