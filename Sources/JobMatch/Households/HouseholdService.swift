import JobMatchCore
import Logging
import PostgresNIO

/// Households and their poverty status over time: registering a household with its first
/// status, recording a new status, and reading a household (an audited read: a family's poverty
/// status) or its status on a day. The staff API and the pages both call these.
struct HouseholdService: Sendable {
    let client: PostgresClient

    /// Registers a household with its first status; returns its id. A household code already used
    /// in the ward is a 409 with the other household's id.
    func register(_ input: HouseholdInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let headName = try CleanText.required(input.headName, field: "head_name", label: "Họ tên chủ hộ")
        let legacy = try input.legacyWardCode.map { try Input.wardCode($0, field: "legacy_ward_code") }
        let (status, from, to, standard, decision) = try Self.period(
            status: input.status,
            validFrom: input.statusValidFrom,
            validTo: input.statusValidTo,
            standard: input.standard,
            decisionRef: input.decisionRef,
            datePrefix: "status_"
        )
        let address = try CleanText.optional(input.address, field: "address", label: "Địa chỉ", maxLength: 300)
        let code = try CleanText.optional(input.householdCode, field: "household_code", label: "Mã hộ", maxLength: 50)
        let staffID = actor.staffID
        return try await self.client.withTransaction(logger: logger) { tx in
            let ward = try await ReferenceCheck(connection: tx, logger: logger).resolveWard(input.wardCode, legacy: legacy)
            if let code,
                let other = try await tx.query(
                    "SELECT id FROM households WHERE ward_code = \(ward) AND household_code = \(code)",
                    logger: logger
                ).first(Int64.self)
            {
                throw AppError.conflict(
                    "Mã hộ \(code) đã được dùng cho hộ số \(other) ở xã, phường này.",
                    field: "household_code",
                    extra: ["existing_id": other]
                )
            }
            let id = try await tx.query(
                """
                INSERT INTO households (head_name, ward_code, legacy_ward_code, address, household_code, created_by)
                VALUES (\(headName), \(ward), \(legacy), \(address), \(code), \(staffID)) RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await tx.query(
                """
                INSERT INTO household_statuses (household_id, status, valid_from, valid_to, standard, decision_ref, created_by)
                VALUES (\(id), \(status.rawValue), \(from.description)::date, \(to?.description)::date, \(standard.rawValue), \(decision), \(staffID))
                """,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "household",
                entityID: id,
                after: [
                    "ward_code": ward, "status": status.rawValue, "valid_from": from.description,
                    "household_code": code ?? "",
                ],
                logger: logger
            )
            return id
        }
    }

    /// Records a status from a review; an open-ended earlier status ends the day before it, and a
    /// period overlapping another is a 409. Returns the new status's id.
    func addStatus(to id: Int64, _ input: HouseholdStatusInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let (status, from, to, standard, decision) = try Self.period(
            status: input.status,
            validFrom: input.validFrom,
            validTo: input.validTo,
            standard: input.standard,
            decisionRef: input.decisionRef,
            datePrefix: ""
        )
        let staffID = actor.staffID
        return try await self.client.withTransaction(logger: logger) { tx in
            guard try await tx.query("SELECT id FROM households WHERE id = \(id) FOR UPDATE", logger: logger).first(Int64.self) != nil else {
                throw AppError.notFound("hộ gia đình \(id)")
            }
            let closed = try await tx.query(
                """
                UPDATE household_statuses SET valid_to = \(from.description)::date - 1
                WHERE household_id = \(id) AND valid_to IS NULL AND valid_from < \(from.description)::date
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)
            let overlapping = try await tx.query(
                """
                SELECT status, valid_from::text, COALESCE(valid_to::text, '') FROM household_statuses
                WHERE household_id = \(id) AND daterange(valid_from, valid_to, '[]') && daterange(\(from.description)::date, \(to?.description)::date, '[]')
                LIMIT 1
                """,
                logger: logger
            ).decode((String, String, String).self).first(where: { _ in true })
            if let (other, otherFrom, otherTo) = overlapping {
                throw AppError.conflict(
                    "Khoảng thời gian trùng với tình trạng '\(HouseholdStatus(rawValue: other)?.vietnamese ?? other)' từ \(otherFrom)\(otherTo.isEmpty ? "" : " đến \(otherTo)").",
                    field: "valid_from"
                )
            }
            let statusID = try await tx.query(
                """
                INSERT INTO household_statuses (household_id, status, valid_from, valid_to, standard, decision_ref, created_by)
                VALUES (\(id), \(status.rawValue), \(from.description)::date, \(to?.description)::date, \(standard.rawValue), \(decision), \(staffID))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "add_status",
                entity: "household",
                entityID: id,
                before: closed.map { ["closed_status_id": "\($0)"] },
                after: ["status": status.rawValue, "valid_from": from.description, "valid_to": to?.description ?? ""],
                logger: logger
            )
            return statusID
        }
    }

    /// The status in force on `date`, in one query; 404 when there is no such household.
    func status(of id: Int64, on date: LocalDate, logger: Logger) async throws -> HouseholdStatusAsOf {
        let rows = try await self.client.query(
            """
            SELECT h.id, s.status, s.valid_from::text, s.valid_to::text, s.standard, s.decision_ref
            FROM households h
            LEFT JOIN household_statuses s ON s.household_id = h.id AND s.valid_from <= \(date.description)::date
                 AND (s.valid_to IS NULL OR s.valid_to >= \(date.description)::date)
            WHERE h.id = \(id)
            """,
            logger: logger
        )
        guard let row = try await rows.decode((Int64, String?, String?, String?, String?, String?).self).first(where: { _ in true }) else {
            throw AppError.notFound("hộ gia đình \(id)")
        }
        let period = row.1.map { HouseholdStatusPeriod(status: $0, validFrom: row.2!, validTo: row.3, standard: row.4!, decisionRef: row.5) }
        return HouseholdStatusAsOf(householdId: id, asOf: date.description, status: row.1 ?? "none", recorded: row.1 != nil, period: period)
    }

    /// A household and its statuses; reading it is a sensitive read, audited. 404 when there is none.
    func view(_ id: Int64, by actor: Principal, logger: Logger) async throws -> HouseholdView {
        try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query(
                "SELECT head_name, ward_code, legacy_ward_code FROM households WHERE id = \(id)",
                logger: logger
            )
            guard let (headName, ward, legacy) = try await rows.decode((String, String, String?).self).first(where: { _ in true }) else {
                throw AppError.notFound("hộ gia đình \(id)")
            }
            let statuses = try await Self.statuses(of: id, on: tx, logger: logger)
            try await AuditLog.record(on: tx, actor: actor, action: "view", entity: "household", entityID: id, logger: logger)
            let today = LocalDate.today().description
            let current = statuses.last { $0.validFrom <= today && ($0.validTo.map { $0 >= today } ?? true) }?.status
            return HouseholdView(id: id, headName: headName, wardCode: ward, legacyWardCode: legacy, currentStatus: current, statuses: statuses)
        }
    }

    /// The household as its page shows it, with its members; an audited read. 404 when there is none.
    func record(_ id: Int64, by actor: Principal, logger: Logger) async throws -> HouseholdRecord {
        let today = LocalDate.today()
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (head, ward, legacy, address, code) = try await tx.query(
                    """
                    SELECT h.head_name, w.ward_name || ' (' || w.ward_code || ')',
                           lw.ward_name || ', ' || lw.district_name || ' (' || lw.ward_code || ')', h.address, h.household_code
                    FROM households h JOIN wards_2025 w ON w.ward_code = h.ward_code LEFT JOIN legacy_wards lw ON lw.ward_code = h.legacy_ward_code
                    WHERE h.id = \(id)
                    """,
                    logger: logger
                ).decode((String, String, String?, String?, String?).self).collect().first
            else { throw AppError.notFound("hộ gia đình \(id)") }
            let statuses = try await Self.statuses(of: id, on: tx, logger: logger).reversed().map { period in
                HouseholdRecord.Status(
                    period: period,
                    inForce: period.validFrom <= today.description
                        && (period.validTo.map { $0 >= today.description } ?? true)
                )
            }
            let members = try await tx.query(
                """
                SELECT id, full_name, extract(year FROM birth_date)::int, sex, anonymised_at IS NOT NULL FROM workers
                WHERE household_id = \(id) AND merged_into IS NULL ORDER BY birth_date, id
                """,
                logger: logger
            ).decode((Int64, String, Int, String, Bool).self).collect().map {
                HouseholdRecord.Member(workerID: $0, fullName: $1, birthYear: $2, sex: $3, anonymised: $4)
            }
            try await AuditLog.record(on: tx, actor: actor, action: "view", entity: "household", entityID: id, logger: logger)
            return HouseholdRecord(
                id: id,
                headName: head,
                ward: ward,
                legacyWard: legacy,
                address: address,
                householdCode: code,
                statuses: statuses,
                members: members
            )
        }
    }

    /// A household's status periods, oldest first.
    static func statuses(of id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [HouseholdStatusPeriod] {
        let rows = try await connection.query(
            """
            SELECT status, valid_from::text, valid_to::text, standard, decision_ref FROM household_statuses
            WHERE household_id = \(id) ORDER BY valid_from
            """,
            logger: logger
        )
        var statuses: [HouseholdStatusPeriod] = []
        for try await (status, from, to, standard, decision) in rows.decode((String, String, String?, String, String?).self) {
            statuses.append(HouseholdStatusPeriod(status: status, validFrom: from, validTo: to, standard: standard, decisionRef: decision))
        }
        return statuses
    }

    /// A validated status period; date fields are `<datePrefix>valid_from` / `<datePrefix>valid_to`.
    static func period(
        status: String,
        validFrom: String,
        validTo: String?,
        standard: String?,
        decisionRef: String?,
        datePrefix: String
    ) throws -> (HouseholdStatus, LocalDate, LocalDate?, HouseholdStandard, String?) {
        let status = try Input.choice(status, as: HouseholdStatus.self, field: "status")
        let from = try Input.date(validFrom, field: datePrefix + "valid_from", label: "Ngày bắt đầu hiệu lực")
        let to = try Input.optionalDate(validTo, field: datePrefix + "valid_to", label: "Ngày hết hiệu lực")
        if let to, to < from { throw AppError.invalid(field: datePrefix + "valid_to", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.") }
        let standard = try Input.choice(
            standard ?? HouseholdStandard.default(for: status, from: from).rawValue,
            as: HouseholdStandard.self,
            field: "standard"
        )
        let decision = try CleanText.optional(decisionRef, field: "decision_ref", label: "Số quyết định", maxLength: 200)
        return (status, from, to, standard, decision)
    }
}
