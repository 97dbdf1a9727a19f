import Hummingbird
import Synchronization

/// Lets a request that needs the database start only with a permit of the requests' share of the
/// pool, waited for at most `deadline`; past it the request gets 503 `database-busy` with
/// `Retry-After` instead of queueing for ever behind connections that slow work holds.
struct ConnectionPermitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let permits: ConnectionPermits
    let deadline: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard DatabaseGateMiddleware.needsDatabase(request.uri.path) else { return try await next(request, context) }
        guard await self.permits.acquire(within: self.deadline) else { throw AppError.databaseBusy }
        defer { self.permits.release() }
        return try await next(request, context)
    }
}
