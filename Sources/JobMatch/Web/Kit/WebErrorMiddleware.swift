import Foundation
import HTTPTypes
import Hummingbird

/// Errors on a page become a page: a short Vietnamese explanation and a way back, with the status;
/// never a stack trace or a database message (unknown errors are logged by type and shown as 500).
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: WebRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMiddleware<Context>.problem(for: error, logger: context.logger)
            if problem.status == .unauthorized {
                return WebRenderer.redirect("/sign-in")
            }
            return self.renderer.page(
                "error",
                title: problem.title,
                context: context,
                values: [
                    "status": Int(problem.status.code), "detail": problem.detail ?? "",
                ],
                status: problem.status
            )
        }
    }
}
