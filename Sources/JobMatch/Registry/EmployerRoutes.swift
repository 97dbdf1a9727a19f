import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Employers and their API keys, as staff manage them.
struct EmployerRoutes {
    let client: PostgresClient
    let credentials: CredentialStore

    /// `POST /employers` body.
    struct NewEmployer: Decodable {
        let name: String?
        let taxCode: String
        let wardCode: String
        let sector: String?
        let contactName: String?
        let contactPhone: String?
        let contactEmail: String?
    }

    /// A newly issued key: shown once.
    struct IssuedKey: ResponseCodable {
        let employerId: Int64
        let apiKey: String
        let prefix: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("employers", use: self.create)
        group.post("employers/:id/keys", use: self.issueKey)
        group.get("employers/:id/keys", use: self.listKeys)
        group.post("employer-keys/:key/rotate", use: self.rotateKey)
        group.post("employer-keys/:key/revoke", use: self.revokeKey)
    }

    struct KeyList: ResponseCodable {
        let keys: [CredentialStore.EmployerKey]
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> KeyList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        guard let keys = try await self.credentials.employerKeys(employerID: id) else { throw AppError.notFound("doanh nghiệp \(id)") }
        return KeyList(keys: keys)
    }

    /// A new key replaces the old one, which stops working at once.
    @Sendable func rotateKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        _ = try context.requireStaff()
        let keyID = try context.parameters.require("key", as: Int64.self)
        guard let (employerID, key) = try await self.credentials.rotateEmployerKey(keyID: keyID, by: context.principal) else {
            throw AppError.notFound("khóa API \(keyID) còn hiệu lực")
        }
        return EditedResponse(status: .created, response: IssuedKey(employerId: employerID, apiKey: key.value, prefix: key.prefix))
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> KeyList {
        _ = try context.requireStaff()
        let keyID = try context.parameters.require("key", as: Int64.self)
        guard let employerID = try await self.credentials.revokeEmployerKey(keyID: keyID, by: context.principal) else {
            throw AppError.notFound("khóa API \(keyID)")
        }
        return KeyList(keys: try await self.credentials.employerKeys(employerID: employerID) ?? [])
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewEmployer.self, context: context)
        let name = try CleanText.required(input.name, field: "name", label: "Tên doanh nghiệp", maxLength: 200)
        let taxCode = try TaxCode.validate(input.taxCode)
        let ward = try Input.wardCode(input.wardCode, field: "ward_code")
        let sector = try CleanText.optional(input.sector, field: "sector", label: "Ngành nghề", maxLength: 200)
        let contactName = try CleanText.optional(input.contactName, field: "contact_name", label: "Người liên hệ", maxLength: 150)
        let contactPhone = try input.contactPhone.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in
            try PhoneNumber.normalizeContact(raw, field: "contact_phone")
        }
        let contactEmail = try CleanText.optional(input.contactEmail, field: "contact_email", label: "Email liên hệ", maxLength: 200)
        if let contactEmail, contactEmail.split(separator: "@").count != 2 || contactEmail.contains(" ") {
            throw AppError.invalid(field: "contact_email", "Email liên hệ không hợp lệ.")
        }
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            if let existing = try await tx.query("SELECT id FROM employers WHERE tax_code = \(taxCode)", logger: logger).first(Int64.self) {
                throw AppError.conflict("Mã số thuế \(taxCode) đã được đăng ký cho doanh nghiệp mã \(existing).", field: "tax_code", extra: ["existing_id": existing])
            }
            try await ReferenceCheck(connection: tx, logger: logger).wards(ward, legacy: nil)
            let id = try await tx.query(
                """
                INSERT INTO employers (name, tax_code, ward_code, sector, contact_name, contact_phone, contact_email, created_by)
                VALUES (\(name), \(taxCode), \(ward), \(sector), \(contactName), \(contactPhone), \(contactEmail), \(staff.id)) RETURNING id
                """,
                logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "employer", entityID: id,
                                      after: ["name": name, "tax_code": taxCode], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    /// `POST /employers/{id}/keys` body, optional: the last day the key works (none: no end).
    struct NewKey: Decodable {
        let expiresOn: String?
    }

    @Sendable func issueKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.body.collect(upTo: 1 << 16)
        var input: NewKey? = nil
        if body.readableBytes > 0 {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do { input = try decoder.decode(NewKey.self, from: Data(buffer: body)) } catch let error as DecodingError { throw AppError.badBody(error) }
        }
        let expiresOn = try CredentialExpiry.day(input?.expiresOn, field: "expires_on")
        guard let key = try await self.credentials.issueEmployerKey(employerID: id, expiresOn: expiresOn, by: context.principal) else {
            throw AppError.notFound("doanh nghiệp \(id)")
        }
        return EditedResponse(status: .created, response: IssuedKey(employerId: id, apiKey: key.value, prefix: key.prefix))
    }
}
