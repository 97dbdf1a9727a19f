import Foundation
import Hummingbird

/// Employer keys only: staff tokens get 403 on the employer API.
struct EmployerOnlyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard case .employer = try context.requirePrincipal() else { throw AppError.forbidden }
        return try await next(request, context)
    }
}
