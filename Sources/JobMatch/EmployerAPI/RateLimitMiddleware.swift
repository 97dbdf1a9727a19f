import Foundation
import Hummingbird
import Synchronization

/// Applies the employer key's rate limit.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter<Int64>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if case .employer(_, let keyID) = try context.requirePrincipal(), let wait = self.limiter.take(keyID) {
            throw AppError.tooManyRequests(retryAfter: max(wait, 1))
        }
        return try await next(request, context)
    }
}
