import Foundation
import Hummingbird

/// `/employers` and `/employer-keys`: employers and their API keys, as staff manage them, through `EmployerService`.
struct EmployerRoutes {
    let service: EmployerService

    /// `POST /employers/{id}/keys` body, optional: the last day the key works (none: no end).
    struct NewKey: Decodable {
        let expiresOn: String?
    }

    struct KeyList: ResponseCodable {
        let keys: [CredentialStore.EmployerKey]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("employers", use: self.create)
        group.post("employers/:id/keys", use: self.issueKey)
        group.get("employers/:id/keys", use: self.listKeys)
        group.post("employer-keys/:key/rotate", use: self.rotateKey)
        group.post("employer-keys/:key/revoke", use: self.revokeKey)
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> KeyList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return KeyList(keys: try await self.service.keys(of: id, logger: context.logger))
    }

    /// A new key replaces the old one, which stops working at once.
    @Sendable func rotateKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        _ = try context.requireStaff()
        let keyID = try context.parameters.require("key", as: Int64.self)
        let issued = try await self.service.rotateKey(keyID, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: issued)
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> KeyList {
        _ = try context.requireStaff()
        let keyID = try context.parameters.require("key", as: Int64.self)
        return KeyList(keys: try await self.service.revokeKey(keyID, by: try context.requirePrincipal(), logger: context.logger))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(EmployerInput.self, context: context)
        let id = try await self.service.register(input, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func issueKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.body.collect(upTo: 1 << 16)
        var input: NewKey? = nil
        if body.readableBytes > 0 {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do { input = try decoder.decode(NewKey.self, from: Data(buffer: body)) } catch let error as DecodingError {
                throw AppError.badBody(error)
            }
        }
        let issued = try await self.service.issueKey(for: id, expiresOn: input?.expiresOn, by: try context.requirePrincipal(), logger: context.logger)
        return EditedResponse(status: .created, response: issued)
    }
}
