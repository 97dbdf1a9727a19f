import Hummingbird

/// `/workers/{id}/consents` and `/workers/{id}/skills`: a worker's consents (given and withdrawn,
/// never deleted) and skills, through `WorkerService`.
struct WorkerDetailRoutes {
    let service: WorkerService

    struct ConsentList: ResponseCodable {
        let consents: [WorkerConsent]
    }

    /// `POST /workers/{id}/consents` body; `given_at` defaults to now.
    struct NewConsent: Decodable {
        let purpose: String
        let means: String
        let givenAt: String?
    }

    /// `POST /workers/{id}/consents/{consent_id}/withdraw` body; `withdrawn_at` defaults to now.
    struct Withdrawal: Decodable {
        let means: String
        let withdrawnAt: String?
    }

    /// `PUT /workers/{id}/skills` body: the whole set.
    struct SkillSet: Decodable {
        let skillIds: [Int64]
    }

    struct SkillList: ResponseCodable {
        let skills: [Skill]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/:id/consents", use: self.consents)
        group.post("workers/:id/consents", use: self.giveConsent)
        group.post("workers/:id/consents/:consent/withdraw", use: self.withdraw)
        group.get("workers/:id/skills", use: self.skills)
        group.put("workers/:id/skills", use: self.replaceSkills)
    }

    @Sendable func consents(_ request: Request, context: AppRequestContext) async throws -> ConsentList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return ConsentList(consents: try await self.service.consents(of: id, logger: context.logger))
    }

    @Sendable func giveConsent(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<WorkerConsent> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(NewConsent.self, context: context)
        let consent = try await self.service.giveConsent(
            to: id,
            purpose: input.purpose,
            means: input.means,
            givenAt: input.givenAt,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return EditedResponse(status: .created, response: consent)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> WorkerConsent {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let consentID = try context.parameters.require("consent", as: Int64.self)
        let input = try await request.decodeJSON(Withdrawal.self, context: context)
        return try await self.service.withdrawConsent(
            consentID,
            of: id,
            means: input.means,
            withdrawnAt: input.withdrawnAt,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
    }

    @Sendable func skills(_ request: Request, context: AppRequestContext) async throws -> SkillList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return SkillList(skills: try await self.service.skills(of: id, logger: context.logger))
    }

    @Sendable func replaceSkills(_ request: Request, context: AppRequestContext) async throws -> SkillList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(SkillSet.self, context: context)
        return SkillList(
            skills: try await self.service.replaceSkills(
                of: id,
                with: input.skillIds,
                by: try context.requirePrincipal(),
                logger: context.logger
            )
        )
    }
}
