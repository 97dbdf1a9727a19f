import JobMatchCore
import Logging
import PostgresNIO

/// Labour abroad under contract (Law 69/2020): licensed enterprises, contracts, the departure
/// (the counted event, which writes the placement) and an early return. The staff API and the
/// pages both call these; each write is audited in its transaction.
struct AbroadService: Sendable {
    let client: PostgresClient

    /// Records a licensed enterprise; a licence number already registered is a 409.
    func addEnterprise(_ input: OverseasEnterpriseInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let name = try CleanText.required(input.name, field: "name", label: "Tên doanh nghiệp", maxLength: 200)
        let licence = try CleanText.required(input.licenceNumber, field: "licence_number", label: "Số giấy phép", maxLength: 50)
        let from = try Input.date(input.licenceValidFrom, field: "licence_valid_from", label: "Ngày cấp giấy phép")
        let to = try Input.optionalDate(input.licenceValidTo, field: "licence_valid_to", label: "Ngày hết hạn giấy phép")
        if let to, to < from { throw AppError.invalid(field: "licence_valid_to", "Ngày hết hạn phải sau ngày cấp giấy phép.") }
        return try await self.client.withTransaction(logger: logger) { tx in
            if let existing = try await tx.query("SELECT id FROM overseas_enterprises WHERE licence_number = \(licence)", logger: logger).first(
                Int64.self
            ) {
                throw AppError.conflict(
                    "Số giấy phép \(licence) đã được đăng ký cho doanh nghiệp mã \(existing).",
                    field: "licence_number",
                    extra: ["existing_id": existing]
                )
            }
            let id = try await tx.query(
                """
                INSERT INTO overseas_enterprises (name, licence_number, licence_valid_from, licence_valid_to)
                VALUES (\(name), \(licence), \(from.description)::date, \(to?.description)::date) RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "overseas_enterprise",
                entityID: id,
                after: ["name": name, "licence_number": licence],
                logger: logger
            )
            return id
        }
    }

    /// Records a contract for an active worker who is 18 by the planned departure, through an
    /// enterprise whose licence is valid on the day it was signed (when there is one).
    func addContract(_ input: OverseasContractInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let country = input.country.uppercased()
        guard CountryCode.isAssigned(country), country != "VN" else {
            throw AppError.invalid(field: "country", "Mã nước đến phải là mã ISO 3166 gồm 2 chữ cái của một nước ngoài (ví dụ JP, KR, TW).")
        }
        let occupation = try Input.occupationCode(input.occupationCode, field: "occupation_code")
        guard (1...120).contains(input.termMonths) else { throw AppError.invalid(field: "term_months", "Thời hạn hợp đồng phải từ 1 đến 120 tháng.") }
        let planned = try Input.date(input.plannedDeparture, field: "planned_departure", label: "Ngày dự kiến xuất cảnh")
        for (value, field) in [(input.feeVnd, "fee_vnd"), (input.depositVnd, "deposit_vnd")] where (value ?? 0) < 0 {
            throw AppError.invalid(field: field, "Số tiền không được âm.")
        }
        let loan = try input.loanSource.map { try Input.choice($0, as: LoanSource.self, field: "loan_source") }
        let signed = try Input.optionalDate(input.contractDate, field: "contract_date", label: "Ngày ký hợp đồng") ?? LocalDate.today()
        return try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.activeWorker(input.workerId)
            guard
                let birth = try await tx.query("SELECT birth_date::text FROM workers WHERE id = \(input.workerId)", logger: logger).first(String.self)
            else {
                throw AppError.invalid(field: "worker_id", "Không tìm thấy người lao động có mã \(input.workerId).")
            }
            guard LocalDate(birth)!.age(on: planned) >= WorkerRules.abroadAge else {
                throw AppError.invalid(field: "planned_departure", "Người lao động đi làm việc ở nước ngoài phải đủ 18 tuổi vào ngày xuất cảnh.")
            }
            try await check.occupation(occupation)
            if let enterprise = input.enterpriseId {
                try await check.record(.overseasEnterprises, id: enterprise, field: "enterprise_id", label: "doanh nghiệp dịch vụ")
                guard
                    try await check.exists(
                        """
                        SELECT 1 FROM overseas_enterprises WHERE id = \(enterprise) AND licence_valid_from <= \(signed.description)::date
                          AND (licence_valid_to IS NULL OR licence_valid_to >= \(signed.description)::date)
                        """
                    )
                else {
                    throw AppError.invalid(
                        field: "enterprise_id",
                        "Giấy phép của doanh nghiệp dịch vụ không còn hiệu lực vào ngày ký hợp đồng \(signed.vietnamese)."
                    )
                }
            }
            let id = try await tx.query(
                """
                INSERT INTO overseas_contracts (worker_id, enterprise_id, country, occupation_code, term_months, planned_departure,
                                                fee_vnd, deposit_vnd, loan_source, contract_date, created_by)
                VALUES (\(input.workerId), \(input.enterpriseId), \(country), \(occupation), \(input.termMonths), \(planned.description)::date,
                        \(input.feeVnd), \(input.depositVnd), \(loan?.rawValue), \(signed.description)::date, \(actor.staffID))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "overseas_contract",
                entityID: id,
                after: ["worker_id": "\(input.workerId)", "country": country],
                logger: logger
            )
            return id
        }
    }

    /// Records the departure (not in the future; the worker 18 that day, once) and writes its placement.
    func depart(_ id: Int64, on departureDate: String, by actor: Principal, logger: Logger) async throws -> DepartureView {
        let date = try Input.date(departureDate, field: "departure_date", label: "Ngày xuất cảnh")
        guard date <= LocalDate.today() else {
            throw AppError.invalid(field: "departure_date", "Ngày xuất cảnh không thể ở tương lai.")
        }
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (workerID, country, occupation, departed, birth) = try await tx.query(
                    """
                    SELECT c.worker_id, c.country, c.occupation_code, c.departure_date::text, w.birth_date::text
                    FROM overseas_contracts c JOIN workers w ON w.id = c.worker_id WHERE c.id = \(id) FOR UPDATE OF c
                    """,
                    logger: logger
                ).decode((Int64, String, String, String?, String).self).first(where: { _ in true })
            else { throw AppError.notFound("hợp đồng \(id)") }
            if let departed { throw AppError.conflict("Hợp đồng đã ghi nhận xuất cảnh ngày \(departed).", field: "departure_date") }
            guard LocalDate(birth)!.age(on: date) >= WorkerRules.abroadAge else {
                throw AppError.invalid(field: "departure_date", "Người lao động phải đủ 18 tuổi vào ngày xuất cảnh.")
            }
            try await tx.query("UPDATE overseas_contracts SET departure_date = \(date.description)::date WHERE id = \(id)", logger: logger)
            let placementID = try await PlacementLedger.record(
                PlacementLedger.Entry(
                    workerID: workerID,
                    channel: .overseasDeparture,
                    startDate: date,
                    overseasContractID: id,
                    destinationCountry: country,
                    occupationCode: occupation
                ),
                by: actor.staffID,
                on: tx,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "depart",
                entity: "overseas_contract",
                entityID: id,
                after: ["departure_date": date.description, "placement_id": "\(placementID)"],
                logger: logger
            )
            return DepartureView(id: id, departureDate: date.description, placementId: placementID)
        }
    }

    /// Records that a worker came home before the contract's term; the placement stays counted.
    func earlyReturn(_ id: Int64, _ input: EarlyReturnInput, by actor: Principal, logger: Logger) async throws {
        let date = try Input.date(input.returnDate, field: "return_date", label: "Ngày về nước")
        let reason = try CleanText.required(input.reason, field: "reason", label: "Lý do về nước trước hạn", maxLength: 500)
        try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (departed, returned) = try await tx.query(
                    "SELECT departure_date::text, early_return_date::text FROM overseas_contracts WHERE id = \(id) FOR UPDATE",
                    logger: logger
                ).decode((String?, String?).self).first(where: { _ in true })
            else { throw AppError.notFound("hợp đồng \(id)") }
            guard let departed else { throw AppError.conflict("Người lao động chưa xuất cảnh theo hợp đồng này.", field: "return_date") }
            if let returned { throw AppError.conflict("Đã ghi nhận về nước trước hạn ngày \(returned).", field: "return_date") }
            guard date.description >= departed else {
                throw AppError.invalid(
                    field: "return_date",
                    "Ngày về nước không thể trước ngày xuất cảnh \(LocalDate(departed)?.vietnamese ?? departed)."
                )
            }
            try await tx.query(
                "UPDATE overseas_contracts SET early_return_date = \(date.description)::date, early_return_reason = \(reason) WHERE id = \(id)",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "early_return",
                entity: "overseas_contract",
                entityID: id,
                after: ["return_date": date.description],
                logger: logger
            )
        }
    }
}
