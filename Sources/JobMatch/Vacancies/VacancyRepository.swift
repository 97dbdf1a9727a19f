import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// A vacancy as stored.
struct VacancyRecord: Sendable {
    let id: Int64
    let reference: String?
    let title: String
    let description: String?
    let occupationCode: String
    let skills: [String]
    let wardCode: String
    let wardName: String
    let legacyWardCode: String?
    let slots: Int
    let slotsFilled: Int
    let wageMin: Int64?
    let wageMax: Int64?
    let workingHours: String?
    let minAge: Int?
    let maxAge: Int?
    let closingDate: String
    let contactName: String?
    let contactPhone: String?
    let contactEmail: String?
    let openToAbroadBound: Bool
    let status: String
    /// Times as microseconds since 1970 (exact, for keyset cursors).
    let createdAtMicros: Int64
    let updatedAtMicros: Int64

    var createdAt: Date { Date(timeIntervalSince1970: Double(self.createdAtMicros) / 1_000_000) }
    var updatedAt: Date { Date(timeIntervalSince1970: Double(self.updatedAtMicros) / 1_000_000) }
    var cursor: PageCursor { PageCursor(micros: self.updatedAtMicros, id: self.id) }

    /// Reads `VacancyRepository.columns` followed by the skill names.
    init(row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T { try cells[index].decode(T.self) }
        self.id = try value(0)
        self.reference = try value(1)
        self.title = try value(2)
        self.description = try value(3)
        self.occupationCode = try value(4)
        self.wardCode = try value(5)
        self.wardName = try value(6)
        self.legacyWardCode = try value(7)
        self.slots = try value(8)
        self.slotsFilled = try value(9)
        self.wageMin = try value(10)
        self.wageMax = try value(11)
        self.workingHours = try value(12)
        self.minAge = try value(13)
        self.maxAge = try value(14)
        self.closingDate = try value(15)
        self.contactName = try value(16)
        self.contactPhone = try value(17)
        self.contactEmail = try value(18)
        self.openToAbroadBound = try value(19)
        self.status = try value(20)
        self.createdAtMicros = try value(21)
        self.updatedAtMicros = try value(22)
        self.skills = try value(23)
    }
}

/// The SQL behind an employer's vacancies; every query is scoped to one employer.
struct VacancyRepository: Sendable {
    let client: PostgresClient
    let catalogue: ReferenceCatalogue
    let logger: Logger

    /// Creates a vacancy; a reference already used by this employer is a 409 pointing at it.
    func create(_ draft: VacancyDraft, caller: EmployerCaller) async throws -> VacancyRecord {
        let logger = self.logger
        return try await self.client.withRequestTransaction(logger: logger) { tx in
            let (ward, skills) = try await draft.checkReferences(on: tx, catalogue: self.catalogue, logger: logger)
            if let reference = draft.reference, let existing = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger) {
                throw AppError.conflict("Mã tham chiếu \(reference) đã dùng cho vị trí \(existing).", field: "reference", extra: ["existing_id": existing])
            }
            // The vacancy, its skills and its audit entry in one prepared statement (one round trip on the busiest call).
            let statement = CreateVacancyStatement(employerID: caller.employerID, draft: draft, ward: ward, skills: skills,
                                                   auditJSON: AuditLog.json(draft.auditValues(ward: ward)) ?? "{}")
            for try await record in try await tx.execute(statement, logger: logger) { return record }
            throw CreateVacancyStatement.NoRow()
        }
    }

    /// Replaces a vacancy's details; the slots cannot drop below those already filled.
    func update(id: Int64, with draft: VacancyDraft, caller: EmployerCaller) async throws -> VacancyRecord {
        let logger = self.logger
        return try await self.client.withRequestTransaction(logger: logger) { tx in
            guard let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            return try await self.replace(current, with: draft, caller: caller, on: tx, logger: logger)
        }
    }

    /// Creates the vacancy with this reference, or replaces it: sending it again never makes a second one.
    func upsert(reference: String, with draft: VacancyDraft, caller: EmployerCaller) async throws -> (record: VacancyRecord, created: Bool) {
        let logger = self.logger
        return try await self.client.withRequestTransaction(logger: logger) { tx in
            // One writer per reference at a time, so two concurrent first sends still make one vacancy.
            _ = try await tx.query(
                "SELECT pg_advisory_xact_lock(hashtextextended('vacancy-ref:' || \(String(caller.employerID)) || ':' || \(reference), 0))",
                logger: logger)
            if let id = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger) {
                let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true)!
                return (try await self.replace(current, with: draft, caller: caller, on: tx, logger: logger), false)
            }
            return (try await self.create(draft, caller: caller), true)
        }
    }

    /// Closes or reopens; reopening needs a closing date that has not passed.
    func setStatus(id: Int64, open: Bool, caller: EmployerCaller) async throws -> VacancyRecord {
        let logger = self.logger
        return try await self.client.withRequestTransaction(logger: logger) { tx in
            guard let current = try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger, lock: true) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            if open, let closing = LocalDate(current.closingDate), closing < LocalDate.today() {
                throw AppError.conflict("Hạn nộp hồ sơ \(closing.vietnamese) đã qua; hãy sửa hạn nộp (PUT) rồi mở lại.", field: "closing_date")
            }
            let status = open ? "open" : "closed"
            if current.status != status {
                try await tx.query("UPDATE vacancies SET status = \(status), updated_at = now() WHERE id = \(id)", logger: logger)
                try await AuditLog.record(on: tx, actor: caller.principal, action: open ? "reopen" : "close", entity: "vacancy", entityID: id,
                                          before: ["status": current.status], after: ["status": status], logger: logger)
            }
            return try await Self.find(id: id, employerID: caller.employerID, on: tx, logger: logger)!
        }
    }

    /// One page in the order of last change (then id), after `cursor`.
    func list(employerID: Int64, status: String?, updatedSince: Date?, limit: Int, after cursor: PageCursor?) async throws -> [VacancyRecord] {
        let rows = try await self.client.query(
            """
            SELECT \(unescaped: Self.columns), \(unescaped: Self.skillNames) FROM vacancies v
            WHERE v.employer_id = \(employerID) AND (\(status)::text IS NULL OR v.status = \(status)::text)
              AND (\(updatedSince)::timestamptz IS NULL OR v.updated_at >= \(updatedSince)::timestamptz)
              AND (\(cursor?.micros)::bigint IS NULL
                   OR ((extract(epoch FROM v.updated_at) * 1000000)::bigint, v.id) > (\(cursor?.micros)::bigint, \(cursor?.id)::bigint))
            ORDER BY v.updated_at, v.id LIMIT \(limit)
            """, logger: self.logger)
        return try await Self.records(rows)
    }

    func find(id: Int64, employerID: Int64) async throws -> VacancyRecord? {
        try await self.client.withConnection { connection in
            try await Self.find(id: id, employerID: employerID, on: connection, logger: self.logger)
        }
    }

    static func find(id: Int64, employerID: Int64, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> VacancyRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns), \(unescaped: Self.skillNames) FROM vacancies v
            WHERE v.id = \(id) AND v.employer_id = \(employerID) \(unescaped: lock ? "FOR UPDATE OF v" : "")
            """, logger: logger)
        return try await Self.records(rows).first
    }

    private func replace(_ current: VacancyRecord, with draft: VacancyDraft, caller: EmployerCaller,
                                on tx: PostgresConnection, logger: Logger) async throws -> VacancyRecord {
        let (ward, skills) = try await draft.checkReferences(on: tx, catalogue: self.catalogue, logger: logger)
        guard draft.slots >= current.slotsFilled else {
            throw AppError.invalid(field: "slots", "Đã tuyển \(current.slotsFilled) người; số lượng cần tuyển không thể nhỏ hơn.")
        }
        if let reference = draft.reference, reference != current.reference,
            let existing = try await Self.id(reference: reference, employerID: caller.employerID, on: tx, logger: logger) {
            throw AppError.conflict("Mã tham chiếu \(reference) đã dùng cho vị trí \(existing).", field: "reference", extra: ["existing_id": existing])
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
            """, logger: logger)
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
            try await AuditLog.record(on: tx, actor: caller.principal, action: "update", entity: "vacancy", entityID: current.id,
                                      before: previous, after: after, logger: logger)
            updated = try await Self.find(id: current.id, employerID: caller.employerID, on: tx, logger: logger)!
        }
        return updated
    }

    private static func id(reference: String, employerID: Int64, on tx: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await tx.query("SELECT id FROM vacancies WHERE employer_id = \(employerID) AND reference = \(reference)", logger: logger).first(Int64.self)
    }

    private static func replaceSkills(of id: Int64, with skills: [Int64], on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query("DELETE FROM vacancy_skills WHERE vacancy_id = \(id) AND NOT (skill_id = ANY(\(skills)))", logger: logger)
        try await tx.query(
            "INSERT INTO vacancy_skills (vacancy_id, skill_id) SELECT \(id), unnest(\(skills)::bigint[]) ON CONFLICT DO NOTHING", logger: logger)
    }

    /// A vacancy row's columns (aliased `v`) in `VacancyRecord(row:)`'s order; its skill names follow.
    static let columns = """
        v.id, v.reference, v.title, v.description, v.occupation_code, v.ward_code,
        (SELECT wd.ward_name FROM wards_2025 wd WHERE wd.ward_code = v.ward_code), v.legacy_ward_code, v.slots, v.slots_filled,
        v.wage_min, v.wage_max, v.working_hours, v.min_age, v.max_age, v.closing_date::text, v.contact_name, v.contact_phone,
        v.contact_email, v.open_to_abroad_bound, v.status, (extract(epoch FROM v.created_at) * 1000000)::bigint,
        (extract(epoch FROM v.updated_at) * 1000000)::bigint
        """

    /// The skill names of the vacancy row `v`, in Vietnamese order.
    static let skillNames = """
        ARRAY(SELECT s.name_vi FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id
              WHERE vs.vacancy_id = v.id ORDER BY s.name_vi COLLATE "vi-VN-x-icu")
        """

    static func records(_ rows: PostgresRowSequence) async throws -> [VacancyRecord] {
        var result: [VacancyRecord] = []
        for try await row in rows { result.append(try VacancyRecord(row: row)) }
        return result
    }
}

/// Where a keyset page ends: the last row's time of change (microseconds) and id, opaque to clients.
struct PageCursor: Sendable, Equatable {
    let micros: Int64
    let id: Int64

    var token: String {
        Data("\(self.micros):\(self.id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    init(micros: Int64, id: Int64) {
        self.micros = micros
        self.id = id
    }

    init?(token: String) {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard token.count <= 200, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(micros: micros, id: id)
    }
}
