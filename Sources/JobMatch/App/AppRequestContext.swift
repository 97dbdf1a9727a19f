import Foundation
import Hummingbird
import NIOCore
import PostgresNIO

/// The request context of every route: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware`; nil until then.
    public var principal: Principal?
    /// Set by `WebAuthMiddleware` for the staff web app's pages; nil elsewhere.
    var webSession: WebSession?
    /// The client's address (throttling sign-in); nil when unknown.
    public let remoteAddress: SocketAddress?
    /// The transaction `IdempotencyMiddleware` runs an employer POST in; nil elsewhere.
    var transaction: PostgresConnection?
    /// Set by `WebLanguageMiddleware` for web pages: the language the user chose.
    var language: WebLanguage = .vi
    /// Set by `WebLanguageMiddleware`: the page asked for, for the language switch to come back to.
    var currentPath = "/"

    /// The same request for a document the centre hands outside (a referral letter, the monthly
    /// report to the department): those are in Vietnamese whatever language the reader chose.
    var inVietnamese: AppRequestContext {
        var context = self
        context.language = .vi
        return context
    }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.webSession = nil
        self.transaction = nil
        self.remoteAddress = source.channel.remoteAddress
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
