import Hummingbird

/// `GET /audit?entity=worker&entity_id=1`: a record's history, newest first. For admins only (the
/// images of edits hold personal data); the JSON door onto `AuditTrail`.
struct AuditRoutes {
    let trail: AuditTrail

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("audit", use: self.history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> AuditTrail.History {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let query = request.uri.queryParameters
        guard let entity = query.get("entity"), AuditTrail.entities.contains(entity) else {
            throw AppError.invalid(field: "entity", "entity phải là một trong: \(AuditTrail.entities.sorted().joined(separator: ", ")).")
        }
        guard let entityID = query.get("entity_id"), Int64(entityID) != nil else {
            throw AppError.invalid(field: "entity_id", "entity_id phải là một số.")
        }
        return try await self.trail.history(entity: entity, entityID: entityID, actor: context.principal, logger: context.logger)
    }
}
