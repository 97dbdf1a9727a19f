import Hummingbird

/// Runs a form's action: an error about what was typed (400, 409 or 422, however it was raised:
/// the API's checks, a field rule, a database constraint) comes back as the form again with the
/// message; any other error goes on to the error page.
enum WebSubmit {
    static func run(
        context: AppRequestContext,
        _ action: () async throws -> Response,
        redisplay: (AppError) async throws -> Response
    ) async throws -> Response {
        do {
            return try await action()
        } catch {
            let problem = ProblemMiddleware<AppRequestContext>.problem(for: error, logger: context.logger)
            guard problem.belongsOnForm else { throw error }
            return try await redisplay(problem)
        }
    }
}

extension AppError {
    /// An error about what the clerk typed: shown on the form again, next to its field.
    var belongsOnForm: Bool { [400, 409, 422].contains(self.status.code) }
}
