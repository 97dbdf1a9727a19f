import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer <secret>` into the caller; no or an unknown secret is 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let credentials: CredentialStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw AppError.unauthorized }
        let secret = SecretToken(value: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        guard secret.value.count <= 200, let principal = try await self.credentials.principal(for: secret) else {
            throw AppError.unauthorized
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "actor"] = "\(principal.actor.kind):\(principal.actor.id)"
        return try await next(request, context)
    }
}
