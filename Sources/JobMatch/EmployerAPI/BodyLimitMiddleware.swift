import Hummingbird

/// Employer API bodies are at most 1 MiB: a larger declared length is refused at once, and a body
/// that turns out larger is refused when read (413 either way).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let maximum = 1 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximum {
            throw AppError(
                .contentTooLarge,
                kind: "too-large",
                title: ProblemMiddleware<Context>.vietnameseTitle(.contentTooLarge),
                detail: "Nội dung gửi lên vượt quá 1 MiB."
            )
        }
        var request = request
        if ![.get, .head, .delete].contains(request.method) {
            _ = try await request.collectBody(upTo: Self.maximum)
        }
        return try await next(request, context)
    }
}
