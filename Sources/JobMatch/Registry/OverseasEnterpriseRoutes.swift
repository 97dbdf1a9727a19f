import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Enterprises licensed to send workers abroad under contract (Law 69/2020).
struct OverseasEnterpriseRoutes {
    let client: PostgresClient

    /// `POST /overseas-enterprises` body.
    struct NewEnterprise: Decodable {
        let name: String?
        let licenceNumber: String?
        let licenceValidFrom: String
        let licenceValidTo: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("overseas-enterprises", use: self.create)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(NewEnterprise.self, context: context)
        let name = try CleanText.required(input.name, field: "name", label: "Tên doanh nghiệp", maxLength: 200)
        let licence = try CleanText.required(input.licenceNumber, field: "licence_number", label: "Số giấy phép", maxLength: 50)
        let from = try Input.date(input.licenceValidFrom, field: "licence_valid_from", label: "Ngày cấp giấy phép")
        let to = try Input.optionalDate(input.licenceValidTo, field: "licence_valid_to", label: "Ngày hết hạn giấy phép")
        if let to, to < from { throw AppError.invalid(field: "licence_valid_to", "Ngày hết hạn phải sau ngày cấp giấy phép.") }
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            if let existing = try await tx.query("SELECT id FROM overseas_enterprises WHERE licence_number = \(licence)", logger: logger).first(Int64.self) {
                throw AppError.conflict("Số giấy phép \(licence) đã được đăng ký cho doanh nghiệp mã \(existing).", field: "licence_number",
                                        extra: ["existing_id": existing])
            }
            let id = try await tx.query(
                """
                INSERT INTO overseas_enterprises (name, licence_number, licence_valid_from, licence_valid_to)
                VALUES (\(name), \(licence), \(from.description)::date, \(to?.description)::date) RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "overseas_enterprise", entityID: id,
                                      after: ["name": name, "licence_number": licence], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }
}
