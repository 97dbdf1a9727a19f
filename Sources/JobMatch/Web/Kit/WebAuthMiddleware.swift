import Foundation
import HTTPTypes
import Hummingbird

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
