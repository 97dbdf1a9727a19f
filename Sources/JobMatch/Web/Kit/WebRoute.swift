import Hummingbird

/// One page or form of the web app. Every signed-in route is registered from a list of these, so the
/// route tests can walk them all: who may use each, and that each form needs its CSRF token.
struct WebRoute: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let access: WebAccess
    let handler: @Sendable (Request, AppRequestContext) async throws -> Response

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// A page every signed-in role may open.
    static func get(_ path: String, _ handler: @escaping Handler) -> WebRoute { .get(path, .staff, handler) }

    static func get(_ path: String, _ access: WebAccess, _ handler: @escaping Handler) -> WebRoute {
        WebRoute(method: .get, path: path, access: access, handler: handler)
    }

    /// A form that changes something: admins and officers.
    static func post(_ path: String, _ handler: @escaping Handler) -> WebRoute { .post(path, .writers, handler) }

    static func post(_ path: String, _ access: WebAccess, _ handler: @escaping Handler) -> WebRoute {
        WebRoute(method: .post, path: path, access: access, handler: handler)
    }

    /// Registers `routes` on `group` (behind the session middleware), each refusing roles it does not allow with 403.
    static func register(_ routes: [WebRoute], on group: RouterGroup<AppRequestContext>) {
        for route in routes {
            let access = route.access
            let handler = route.handler
            group.on(RouterPath(route.path), method: route.method) { request, context in
                guard let role = context.webSession?.role else { throw AppError.unauthorized }
                guard access.allows(role) else { throw AppError.forbidden }
                return try await handler(request, context)
            }
        }
    }
}
