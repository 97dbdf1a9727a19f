import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Households and their poverty status over time.
struct HouseholdRoutes {
    let client: PostgresClient

    /// `POST /households` body.
    struct NewHousehold: Decodable {
        let headName: String?
        let wardCode: String?
        let legacyWardCode: String?
        let address: String?
        /// The commune's own code for the household on its poverty list (unique within the ward).
        let householdCode: String?
        let status: String
        let statusValidFrom: String
        let statusValidTo: String?
        let standard: String?
        let decisionRef: String?
    }

    /// A status period as returned to staff.
    struct StatusPeriod: Codable {
        let status: String
        let validFrom: String
        let validTo: String?
        let standard: String
        let decisionRef: String?
    }

    /// `GET /households/{id}` answer.
    struct HouseholdView: ResponseCodable {
        let id: Int64
        let headName: String
        let wardCode: String
        let legacyWardCode: String?
        let currentStatus: String?
        let statuses: [StatusPeriod]
    }

    /// The standards a status can be recognised under.
    enum Standard: String, CaseIterable {
        case decree07 = "decree_07_2021"
        case decree30 = "decree_30_2025"
        case decree351 = "decree_351_2025"
    }

    /// `POST /households/{id}/statuses` body: a newly recognised status.
    struct NewStatus: Decodable {
        let status: String
        let validFrom: String
        let validTo: String?
        let standard: String?
        let decisionRef: String?
    }

    /// `GET /households/{id}/status?as_of=` answer.
    struct StatusAsOf: ResponseCodable {
        let householdId: Int64
        let asOf: String
        let status: String
        let recorded: Bool
        let period: StatusPeriod?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("households", use: self.create)
        group.get("households/:id", use: self.show)
        group.post("households/:id/statuses", use: self.addStatus)
        group.get("households/:id/status", use: self.statusAsOf)
    }

    /// Records a status from a review; an open-ended earlier status ends the day before it.
    @Sendable func addStatus(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(NewStatus.self, context: context)
        let (status, from, to, standard, decision) = try Self.period(
            status: input.status, validFrom: input.validFrom, validTo: input.validTo, standard: input.standard,
            decisionRef: input.decisionRef, datePrefix: "")
        let logger = context.logger
        let statusID = try await self.client.withTransaction(logger: logger) { tx in
            guard try await tx.query("SELECT id FROM households WHERE id = \(id) FOR UPDATE", logger: logger).first(Int64.self) != nil else {
                throw AppError.notFound("hộ gia đình \(id)")
            }
            let closed = try await tx.query(
                """
                UPDATE household_statuses SET valid_to = \(from.description)::date - 1
                WHERE household_id = \(id) AND valid_to IS NULL AND valid_from < \(from.description)::date
                RETURNING id
                """, logger: logger).first(Int64.self)
            let overlapping = try await tx.query(
                """
                SELECT status, valid_from::text, COALESCE(valid_to::text, '') FROM household_statuses
                WHERE household_id = \(id) AND daterange(valid_from, valid_to, '[]') && daterange(\(from.description)::date, \(to?.description)::date, '[]')
                LIMIT 1
                """, logger: logger).decode((String, String, String).self).first(where: { _ in true })
            if let (other, otherFrom, otherTo) = overlapping {
                throw AppError.conflict(
                    "Khoảng thời gian trùng với tình trạng '\(HouseholdStatus(rawValue: other)?.vietnamese ?? other)' từ \(otherFrom)\(otherTo.isEmpty ? "" : " đến \(otherTo)").",
                    field: "valid_from")
            }
            let statusID = try await tx.query(
                """
                INSERT INTO household_statuses (household_id, status, valid_from, valid_to, standard, decision_ref, created_by)
                VALUES (\(id), \(status.rawValue), \(from.description)::date, \(to?.description)::date, \(standard.rawValue), \(decision), \(staff.id))
                RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "add_status", entity: "household", entityID: id,
                                      before: closed.map { ["closed_status_id": "\($0)"] },
                                      after: ["status": status.rawValue, "valid_from": from.description, "valid_to": to?.description ?? ""],
                                      logger: logger)
            return statusID
        }
        return EditedResponse(status: .created, response: CreatedID(id: statusID))
    }

    /// The status in force on a date (today by default), in one query.
    @Sendable func statusAsOf(_ request: Request, context: AppRequestContext) async throws -> StatusAsOf {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let date = try request.uri.queryParameters.get("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tra cứu") } ?? LocalDate.today()
        let rows = try await self.client.query(
            """
            SELECT h.id, s.status, s.valid_from::text, s.valid_to::text, s.standard, s.decision_ref
            FROM households h
            LEFT JOIN household_statuses s ON s.household_id = h.id AND s.valid_from <= \(date.description)::date
                 AND (s.valid_to IS NULL OR s.valid_to >= \(date.description)::date)
            WHERE h.id = \(id)
            """, logger: context.logger)
        guard let row = try await rows.decode((Int64, String?, String?, String?, String?, String?).self).first(where: { _ in true }) else {
            throw AppError.notFound("hộ gia đình \(id)")
        }
        let period = row.1.map { StatusPeriod(status: $0, validFrom: row.2!, validTo: row.3, standard: row.4!, decisionRef: row.5) }
        return StatusAsOf(householdId: id, asOf: date.description, status: row.1 ?? "none", recorded: row.1 != nil, period: period)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewHousehold.self, context: context)
        let headName = try CleanText.required(input.headName, field: "head_name", label: "Họ tên chủ hộ")
        let legacy = try input.legacyWardCode.map { try Input.wardCode($0, field: "legacy_ward_code") }
        let (status, from, to, standard, decision) = try Self.period(
            status: input.status, validFrom: input.statusValidFrom, validTo: input.statusValidTo, standard: input.standard,
            decisionRef: input.decisionRef, datePrefix: "status_")
        let address = try CleanText.optional(input.address, field: "address", label: "Địa chỉ", maxLength: 300)
        let code = try CleanText.optional(input.householdCode, field: "household_code", label: "Mã hộ", maxLength: 50)
        let logger = context.logger

        let id = try await self.client.withTransaction(logger: logger) { tx in
            let ward = try await ReferenceCheck(connection: tx, logger: logger).resolveWard(input.wardCode, legacy: legacy)
            if let code, let other = try await tx.query(
                "SELECT id FROM households WHERE ward_code = \(ward) AND household_code = \(code)", logger: logger).first(Int64.self) {
                throw AppError.conflict("Mã hộ \(code) đã được dùng cho hộ số \(other) ở xã, phường này.", field: "household_code",
                                        extra: ["existing_id": other])
            }
            let rows = try await tx.query(
                """
                INSERT INTO households (head_name, ward_code, legacy_ward_code, address, household_code, created_by)
                VALUES (\(headName), \(ward), \(legacy), \(address), \(code), \(staff.id)) RETURNING id
                """, logger: logger)
            let id = try await rows.first(Int64.self)!
            try await tx.query(
                """
                INSERT INTO household_statuses (household_id, status, valid_from, valid_to, standard, decision_ref, created_by)
                VALUES (\(id), \(status.rawValue), \(from.description)::date, \(to?.description)::date, \(standard.rawValue), \(decision), \(staff.id))
                """, logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "household", entityID: id,
                                      after: ["ward_code": ward, "status": status.rawValue, "valid_from": from.description,
                                              "household_code": code ?? ""], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    /// A household and its statuses; reading it is a sensitive read (a family's poverty status), audited.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> HouseholdView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                "SELECT head_name, ward_code, legacy_ward_code FROM households WHERE id = \(id)", logger: logger)
            guard let (headName, ward, legacy) = try await rows.decode((String, String, String?).self).first(where: { _ in true }) else {
                throw AppError.notFound("hộ gia đình \(id)")
            }
            let statusRows = try await tx.query(
                """
                SELECT status, valid_from::text, valid_to::text, standard, decision_ref FROM household_statuses
                WHERE household_id = \(id) ORDER BY valid_from
                """, logger: logger)
            var statuses: [StatusPeriod] = []
            for try await (status, from, to, standard, decision) in statusRows.decode((String, String, String?, String, String?).self) {
                statuses.append(StatusPeriod(status: status, validFrom: from, validTo: to, standard: standard, decisionRef: decision))
            }
            try await AuditLog.record(on: tx, actor: context.principal, action: "view", entity: "household", entityID: id, logger: logger)
            let today = LocalDate.today().description
            let current = statuses.last { $0.validFrom <= today && ($0.validTo.map { $0 >= today } ?? true) }?.status
            return HouseholdView(id: id, headName: headName, wardCode: ward, legacyWardCode: legacy, currentStatus: current, statuses: statuses)
        }
    }

    /// A validated status period; date fields are `<datePrefix>valid_from` / `<datePrefix>valid_to`.
    static func period(
        status: String, validFrom: String, validTo: String?, standard: String?, decisionRef: String?, datePrefix: String
    ) throws -> (HouseholdStatus, LocalDate, LocalDate?, Standard, String?) {
        let status = try Input.choice(status, as: HouseholdStatus.self, field: "status")
        let from = try Input.date(validFrom, field: datePrefix + "valid_from", label: "Ngày bắt đầu hiệu lực")
        let to = try Input.optionalDate(validTo, field: datePrefix + "valid_to", label: "Ngày hết hiệu lực")
        if let to, to < from { throw AppError.invalid(field: datePrefix + "valid_to", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.") }
        let standard = try Input.choice(standard ?? Self.defaultStandard(for: status, from: from).rawValue, as: Standard.self, field: "standard")
        let decision = try CleanText.optional(decisionRef, field: "decision_ref", label: "Số quyết định", maxLength: 200)
        return (status, from, to, standard, decision)
    }

    /// Low-income under Decree 30/2025; otherwise Decree 07/2021 until the end of 2026, Decree 351/2025 from 2027.
    static func defaultStandard(for status: HouseholdStatus, from date: LocalDate) -> Standard {
        if status == .lowIncome { return .decree30 }
        return date.year >= 2027 ? .decree351 : .decree07
    }
}
