import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `/matching/weights`: everyone on staff may read the weights, only an admin changes them; the
/// JSON door onto `MatchWeightsRepository`.
struct MatchWeightsRoutes {
    let weights: MatchWeightsRepository

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("matching/weights", use: self.list)
        group.put("matching/weights", use: self.change)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> MatchWeightsRepository.WeightList {
        _ = try context.requireStaff()
        return try await self.weights.list(logger: context.logger)
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> MatchWeightsRepository.WeightList {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let input = try await request.decodeJSON(MatchWeightsRepository.Change.self, context: context)
        return try await self.weights.change(input, staffID: staff.id, actor: context.principal, logger: context.logger)
    }
}
