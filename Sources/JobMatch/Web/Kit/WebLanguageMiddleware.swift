import Hummingbird

/// Reads the user's language from its cookie into the request context, for every web page
/// (signed in or not) and its error pages.
struct WebLanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = WebLanguage.of(request)
        // A form's answer has no page of its own to come back to (its path takes a POST): the dashboard.
        context.currentPath = request.method == .get ? SignInRoutes.safeNext(request.uri.description) ?? "/" : "/"
        return try await next(request, context)
    }
}
