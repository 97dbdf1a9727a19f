import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// The SQL behind an employer's vacancies; every query is scoped to one employer.
/// Each employer call runs in the caller's transaction when it brings one (`caller.transaction`)
/// and logs through the caller's request logger.
struct VacancyRepository: Sendable {
    let client: PostgresClient
    let catalogue: ReferenceCatalogue

    /// Creates a vacancy; a reference already used by this employer is a 409 pointing at it.
    func create(_ draft: VacancyDraft, caller: EmployerCaller) async throws -> VacancyRecord {
        try await self.client.withTransaction(joining: caller.transaction, logger: caller.logger) { tx in
            try await self.insert(draft, caller: caller, on: tx)
        }
    }

    /// Inserts on the caller's transaction (a create, and an upsert's first send).
    private func insert(_ draft: VacancyDraft, caller: EmployerCaller, on tx: PostgresConnection) async throws -> VacancyRecord {
        let logger = caller.logger
        let (ward, skills) = try await draft.checkReferences(on: tx, catalogue: self.catalogue, logger: logger)
        if let reference = draft.reference,
            let existing = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger)
        {
            throw AppError.conflict(
                "Mã tham chiếu \(reference) đã dùng cho vị trí \(existing).",
                field: "reference",
                extra: ["existing_id": existing]
            )
        }
        // The vacancy, its skills and its audit entry in one prepared statement (one round trip on the busiest call).
        let statement = CreateVacancyStatement(
            employerID: caller.employerID,
            draft: draft,
            ward: ward,
            skills: skills,
            auditJSON: AuditLog.json(draft.auditValues(ward: ward)) ?? "{}"
        )
        for try await record in try await tx.execute(statement, logger: logger) { return record }
        throw CreateVacancyStatement.NoRow()
    }

    /// Replaces a vacancy's details; the slots cannot drop below those already filled.
    func update(id: Int64, with draft: VacancyDraft, caller: EmployerCaller) async throws -> VacancyRecord {
        let logger = caller.logger
        return try await self.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            guard let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            return try await self.replace(current, with: draft, caller: caller, on: tx, logger: logger)
        }
    }

    /// Creates the vacancy with this reference, or replaces it: sending it again never makes a second one.
    func upsert(reference: String, with draft: VacancyDraft, caller: EmployerCaller) async throws -> (record: VacancyRecord, created: Bool) {
        let logger = caller.logger
        return try await self.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            // One writer per reference at a time, so two concurrent first sends still make one vacancy.
            _ = try await tx.query(
                "SELECT pg_advisory_xact_lock(hashtextextended('vacancy-ref:' || \(String(caller.employerID)) || ':' || \(reference), 0))",
                logger: logger
            )
            if let id = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger) {
                let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true)!
                return (try await self.replace(current, with: draft, caller: caller, on: tx, logger: logger), false)
            }
            return (try await self.insert(draft, caller: caller, on: tx), true)
        }
    }

    /// Closes or reopens; reopening needs a closing date that has not passed.
    func setStatus(id: Int64, open: Bool, caller: EmployerCaller) async throws -> VacancyRecord {
        let logger = caller.logger
        return try await self.client.withTransaction(joining: caller.transaction, logger: logger) { tx in
            guard let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            if open, let closing = LocalDate(current.closingDate), closing < LocalDate.today() {
                throw AppError.conflict("Hạn nộp hồ sơ \(closing.vietnamese) đã qua; hãy sửa hạn nộp (PUT) rồi mở lại.", field: "closing_date")
            }
            let status = open ? "open" : "closed"
            if current.status != status {
                try await tx.query("UPDATE vacancies SET status = \(status), updated_at = now() WHERE id = \(id)", logger: logger)
                try await AuditLog.record(
                    on: tx,
                    actor: caller.principal,
                    action: open ? "reopen" : "close",
                    entity: "vacancy",
                    entityID: id,
                    before: ["status": current.status],
                    after: ["status": status],
                    logger: logger
                )
            }
            return try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger)!
        }
    }

    /// One page in the order of last change (then id), after `cursor`.
    func list(caller: EmployerCaller, status: String?, updatedSince: Date?, limit: Int, after cursor: PageCursor?) async throws -> [VacancyRecord] {
        let employerID = caller.employerID
        let rows = try await self.client.query(
            """
            SELECT \(unescaped: Self.columns) FROM vacancies v
            WHERE v.employer_id = \(employerID) AND (\(status)::text IS NULL OR v.status = \(status)::text)
              AND (\(updatedSince)::timestamptz IS NULL OR v.updated_at >= \(updatedSince)::timestamptz)
              AND (\(cursor?.micros)::bigint IS NULL
                   OR ((extract(epoch FROM v.updated_at) * 1000000)::bigint, v.id) > (\(cursor?.micros)::bigint, \(cursor?.id)::bigint))
            ORDER BY v.updated_at, v.id LIMIT \(limit)
            """,
            logger: caller.logger
        )
        return try await Self.records(rows)
    }

    /// The employer's vacancy, or nil (another employer's vacancy is not found either).
    func find(id: Int64, caller: EmployerCaller) async throws -> VacancyRecord? {
        try await self.client.withConnection { connection in
            try await Self.find(id: id, employerID: caller.employerID, on: connection, logger: caller.logger)
        }
    }

    static func find(
        id: Int64,
        employerID: Int64,
        on connection: PostgresConnection,
        logger: Logger,
        lock: Bool = false
    ) async throws -> VacancyRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM vacancies v
            WHERE v.id = \(id) AND v.employer_id = \(employerID) \(unescaped: lock ? "FOR UPDATE OF v" : "")
            """,
            logger: logger
        )
        return try await Self.records(rows).first
    }

    private func replace(
        _ current: VacancyRecord,
        with draft: VacancyDraft,
        caller: EmployerCaller,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> VacancyRecord {
        let (ward, skills) = try await draft.checkReferences(on: tx, catalogue: self.catalogue, logger: logger)
        guard draft.slots >= current.slotsFilled else {
            throw AppError.invalid(field: "slots", "Đã tuyển \(current.slotsFilled) người; số lượng cần tuyển không thể nhỏ hơn.")
        }
        if let reference = draft.reference, reference != current.reference,
            let existing = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger)
        {
            throw AppError.conflict(
                "Mã tham chiếu \(reference) đã dùng cho vị trí \(existing).",
                field: "reference",
                extra: ["existing_id": existing]
            )
        }
        let before = VacancyDraft.auditValues(of: current)
        try await tx.query(
            """
            UPDATE vacancies SET reference = COALESCE(\(draft.reference), reference), title = \(draft.title), description = \(draft.description),
                   occupation_code = \(draft.occupationCode), ward_code = \(ward), legacy_ward_code = \(draft.legacyWardCode),
                   slots = \(draft.slots), closing_date = \(draft.closingDate.description)::date, wage_min = \(draft.wageMin),
                   wage_max = \(draft.wageMax), working_hours = \(draft.workingHours), min_age = \(draft.minAge), max_age = \(draft.maxAge),
                   contact_name = \(draft.contactName), contact_phone = \(draft.contactPhone), contact_email = \(draft.contactEmail),
                   open_to_abroad_bound = \(draft.openToAbroadBound)
            WHERE id = \(current.id)
            """,
            logger: logger
        )
        try await Self.replaceSkills(of: current.id, with: skills, on: tx, logger: logger)
        var updated = try await Self.find(id: current.id, employerID: caller.employerID, on: tx, logger: logger)!
        var after = VacancyDraft.auditValues(of: updated)
        var previous = before
        for key in Set(after.keys).union(previous.keys) where after[key] == previous[key] {
            after.removeValue(forKey: key)
            previous.removeValue(forKey: key)
        }
        // Resending the same vacancy changes nothing, not even its time of last change.
        if !after.isEmpty {
            try await tx.query("UPDATE vacancies SET updated_at = now() WHERE id = \(current.id)", logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: caller.principal,
                action: "update",
                entity: "vacancy",
                entityID: current.id,
                before: previous,
                after: after,
                logger: logger
            )
            updated = try await Self.find(id: current.id, employerID: caller.employerID, on: tx, logger: logger)!
        }
        return updated
    }

    private static func id(reference: String, employerID: Int64, on tx: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await tx.query("SELECT id FROM vacancies WHERE employer_id = \(employerID) AND reference = \(reference)", logger: logger).first(
            Int64.self
        )
    }

    private static func replaceSkills(of id: Int64, with skills: [Int64], on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query("DELETE FROM vacancy_skills WHERE vacancy_id = \(id) AND NOT (skill_id = ANY(\(skills)))", logger: logger)
        try await tx.query(
            "INSERT INTO vacancy_skills (vacancy_id, skill_id) SELECT \(id), unnest(\(skills)::bigint[]) ON CONFLICT DO NOTHING",
            logger: logger
        )
    }

    /// A vacancy row `v` with the derived columns `VacancyRecord(row:)` reads by name.
    static let columns = """
        v.*, (SELECT wd.ward_name FROM wards_2025 wd WHERE wd.ward_code = v.ward_code) AS ward_name, v.closing_date::text AS closing_day,
        ARRAY(SELECT s.name_vi FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id
              WHERE vs.vacancy_id = v.id ORDER BY s.name_vi COLLATE "vi-VN-x-icu") AS skill_names,
        (extract(epoch FROM v.created_at) * 1000000)::bigint AS created_micros, (extract(epoch FROM v.updated_at) * 1000000)::bigint AS updated_micros
        """

    static func records(_ rows: PostgresRowSequence) async throws -> [VacancyRecord] {
        var result: [VacancyRecord] = []
        for try await row in rows { result.append(try VacancyRecord(row: row)) }
        return result
    }
}
