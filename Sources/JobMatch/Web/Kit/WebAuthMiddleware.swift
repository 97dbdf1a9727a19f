import Foundation
import HTTPTypes
import Hummingbird

/// The cookies of the web app.
enum WebCookies {
    /// The session's secret.
    static let session = "jm_session"
    /// The sign-in form's CSRF token, before there is a session.
    static let signInToken = "jm_signin"

    /// A cookie only this site's pages send back: HttpOnly, SameSite=Lax, path `/`, Secure when the
    /// request came over TLS (directly or through a proxy that says so); `maxAge` 0 removes it.
    static func cookie(_ name: String, value: String, request: Request, maxAge: Int? = nil) -> Cookie {
        let secure = request.head.scheme == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Finds the caller's session from its cookie for every page of the web app. Without one, a page
/// sends the browser to the sign-in form (and back afterwards); a form post is refused. (Viewers
/// only read: `WebForm.read` refuses them every form that changes something.)
struct WebAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: WebSessionStore
    static let pathCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let secret = request.cookies[WebCookies.session]?.value, let session = try await self.sessions.session(secret: secret) else {
            if request.method == .get || request.method == .head {
                let path = request.uri.path.addingPercentEncoding(withAllowedCharacters: Self.pathCharacters) ?? "/"
                return WebRenderer.redirect("/sign-in?next=" + path)
            }
            throw AppError.unauthorized
        }
        var context = context
        context.webSession = session
        context.principal = session.principal
        context.logger[metadataKey: "actor"] = "staff:\(session.staffID)"
        return try await next(request, context)
    }
}

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
