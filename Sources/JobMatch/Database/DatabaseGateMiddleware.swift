import Dispatch
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Refuses with 503 (`Retry-After`) every request that needs the database while the gate is closed;
/// liveness and the web app's static files are still served.
struct DatabaseGateMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: DatabaseGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard self.gate.isOpen || !Self.needsDatabase(request.uri.path) else {
            throw ProblemMiddleware<Context>.databaseUnavailable
        }
        return try await next(request, context)
    }

    /// Everything but liveness and the web app's static files.
    static func needsDatabase(_ path: String) -> Bool {
        path != "/healthz" && !path.hasPrefix("/static/")
    }
}
