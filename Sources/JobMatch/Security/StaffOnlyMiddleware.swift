import Foundation
import Hummingbird

/// Staff only: employers get 403; viewers may only read.
struct StaffOnlyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (_, role) = try context.requireStaff()
        if !role.canWrite, ![.get, .head].contains(request.method) { throw AppError.forbidden }
        return try await next(request, context)
    }
}
