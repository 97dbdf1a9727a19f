import Hummingbird

/// Hands the request context to the generated OpenAPI handlers (which see only their typed input)
/// as `EmployerCaller.current`: the employer, the request's logger and its transaction, if any.
/// It runs last on `/api/v1`, after `IdempotencyMiddleware` has opened that transaction.
struct EmployerCallerMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard case .employer(let employerID, let keyID) = try context.requirePrincipal() else { throw AppError.forbidden }
        let caller = EmployerCaller(employerID: employerID, keyID: keyID, logger: context.logger, transaction: context.transaction)
        return try await EmployerCaller.$current.withValue(caller) { try await next(request, context) }
    }
}
