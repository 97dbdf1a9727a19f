import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware`; nil until then.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// Responses are JSON with snake_case keys, as the API documents.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Bodies are limited to 1 MiB.
    public var maxUploadSize: Int { 1 << 20 }

    /// The caller, or 401.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw AppError.unauthorized }
        return principal
    }

    /// The calling staff member, or 403 for an employer key.
    func requireStaff() throws -> (id: Int64, role: StaffRole) {
        guard case .staff(let id, _, let role) = try self.requirePrincipal() else { throw AppError.forbidden }
        return (id, role)
    }
}
