import Hummingbird

/// `GET /language?lang=en&next=/workers`: keeps the choice in its cookie and goes back to the page
/// (a plain link works without script; changing a display language needs no CSRF token).
struct WebLanguageRoute {
    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("language", use: self.choose)
    }

    @Sendable func choose(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let code = query.get("lang"), let language = WebLanguage(rawValue: code) else {
            throw AppError.invalid(field: "lang", "Ngôn ngữ không hợp lệ: chọn vi hoặc en.")
        }
        var response = WebRenderer.redirect(SignInRoutes.safeNext(query.get("next")) ?? "/")
        response.setCookie(WebCookies.cookie(WebLanguage.cookie, value: language.rawValue, request: request, maxAge: 365 * 24 * 3600))
        return response
    }
}
