import Hummingbird
import Logging

/// Logs each request's method, path (never the query string: a search may carry a name, CCCD or
/// phone digits; never a referral letter's code, which opens the letter's check), status and duration.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "Request",
            metadata: [
                "method": "\(request.method)", "path": "\(Self.loggedPath(request.uri.path))", "status": "\(response.status.code)",
                "ms": "\(Int(milliseconds.rounded()))",
            ]
        )
        return response
    }

    /// The path as logged: a letter's code is replaced by `{code}`.
    static func loggedPath(_ path: String) -> String {
        path.hasPrefix("/letters/") ? "/letters/{code}" : path
    }
}
