import JobMatchCore
import Logging
import PostgresNIO

/// Employers and their API keys, as staff manage them: registering an employer, issuing,
/// rotating and revoking its keys (through `CredentialStore`, which forgets a changed key in
/// `cache` at once), and reading employers for the pages.
struct EmployerService: Sendable {
    let client: PostgresClient
    /// The API's cache of valid callers, when there is one.
    var cache: CredentialCache? = nil

    private func credentials(_ logger: Logger) -> CredentialStore {
        CredentialStore(client: self.client, logger: logger, cache: self.cache)
    }

    /// Registers an employer; a tax code already registered is a 409 with the existing id.
    func register(_ input: EmployerInput, by actor: Principal, logger: Logger) async throws -> Int64 {
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
        return try await self.client.withTransaction(logger: logger) { tx in
            if let existing = try await tx.query("SELECT id FROM employers WHERE tax_code = \(taxCode)", logger: logger).first(Int64.self) {
                throw AppError.conflict(
                    "Mã số thuế \(taxCode) đã được đăng ký cho doanh nghiệp mã \(existing).",
                    field: "tax_code",
                    extra: ["existing_id": existing]
                )
            }
            try await ReferenceCheck(connection: tx, logger: logger).wards(ward, legacy: nil)
            let id = try await tx.query(
                """
                INSERT INTO employers (name, tax_code, ward_code, sector, contact_name, contact_phone, contact_email, created_by)
                VALUES (\(name), \(taxCode), \(ward), \(sector), \(contactName), \(contactPhone), \(contactEmail), \(actor.staffID)) RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "employer",
                entityID: id,
                after: ["name": name, "tax_code": taxCode],
                logger: logger
            )
            return id
        }
    }

    /// An employer's keys; 404 when there is no such employer.
    func keys(of employerID: Int64, logger: Logger) async throws -> [CredentialStore.EmployerKey] {
        guard let keys = try await self.credentials(logger).employerKeys(employerID: employerID) else {
            throw AppError.notFound("doanh nghiệp \(employerID)")
        }
        return keys
    }

    /// A new key for the employer (working until `expiresOn`, a `yyyy-mm-dd` day, when given); 404 when there is no such employer.
    func issueKey(for employerID: Int64, expiresOn: String?, by actor: Principal, logger: Logger) async throws -> IssuedKey {
        let expiresOn = try CredentialExpiry.day(expiresOn, field: "expires_on")
        guard let key = try await self.credentials(logger).issueEmployerKey(employerID: employerID, expiresOn: expiresOn, by: actor) else {
            throw AppError.notFound("doanh nghiệp \(employerID)")
        }
        return IssuedKey(employerId: employerID, apiKey: key.value, prefix: key.prefix)
    }

    /// A new key replaces a live one, which stops working at once.
    func rotateKey(_ keyID: Int64, by actor: Principal, logger: Logger) async throws -> IssuedKey {
        guard let (employerID, key) = try await self.credentials(logger).rotateEmployerKey(keyID: keyID, by: actor) else {
            throw AppError.notFound("khóa API \(keyID) còn hiệu lực")
        }
        return IssuedKey(employerId: employerID, apiKey: key.value, prefix: key.prefix)
    }

    /// Revokes a key; returns the employer's keys after it.
    func revokeKey(_ keyID: Int64, by actor: Principal, logger: Logger) async throws -> [CredentialStore.EmployerKey] {
        let credentials = self.credentials(logger)
        guard let employerID = try await credentials.revokeEmployerKey(keyID: keyID, by: actor) else {
            throw AppError.notFound("khóa API \(keyID)")
        }
        return try await credentials.employerKeys(employerID: employerID) ?? []
    }
}
