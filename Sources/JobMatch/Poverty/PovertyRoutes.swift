import Foundation
import Hummingbird
import JobMatchCore

/// `GET /reports/poverty-exits?from=&to=&as_of=` (households placed while poor or near-poor, and
/// their exits; audited) and `GET /reports/poverty-rate?from_year=&to_year=&as_of=` (the poverty
/// rate among registered households by year): the JSON door onto `PovertyService`, for every staff role.
struct PovertyRoutes {
    let service: PovertyService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("reports/poverty-exits", use: self.exits)
        group.get("reports/poverty-rate", use: self.rate)
    }

    @Sendable func exits(_ request: Request, context: AppRequestContext) async throws -> PovertyExitReport {
        _ = try context.requireStaff()
        let query = try PovertyQuery({ request.uri.queryParameters.get($0) }, today: LocalDate.today(), requirePeriod: true)
        return try await self.service.exits(query, by: context.principal, logger: context.logger)
    }

    @Sendable func rate(_ request: Request, context: AppRequestContext) async throws -> PovertyRateReport {
        _ = try context.requireStaff()
        let query = try PovertyQuery({ request.uri.queryParameters.get($0) }, today: LocalDate.today(), requirePeriod: false)
        return try await self.service.rate(query, logger: context.logger)
    }
}
