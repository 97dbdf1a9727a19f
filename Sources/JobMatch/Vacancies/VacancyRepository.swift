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
    let wardCode: String
    let slots: Int
    let slotsFilled: Int
    let closingDate: String
    let wageMin: Int64?
    let wageMax: Int64?
    let status: String
    let createdAt: Date
}

/// A validated new vacancy.
struct VacancyDraft: Sendable {
    let reference: String?
    let title: String
    let description: String?
    let occupationCode: String
    let wardCode: String
    let slots: Int
    let closingDate: LocalDate
    let wageMin: Int64?
    let wageMax: Int64?
}

/// The SQL behind the employer's vacancies; every query is scoped to one employer.
struct VacancyRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let columns = "id, reference, title, description, occupation_code, ward_code, slots, slots_filled, closing_date::text, wage_min, wage_max, status, created_at"
    typealias Row = (Int64, String?, String, String?, String, String, Int, Int, String, Int64?, Int64?, String, Date)

    func create(_ draft: VacancyDraft, caller: EmployerCaller) async throws -> VacancyRecord {
        let employerID = caller.employerID
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.occupation(draft.occupationCode)
            try await check.wards(draft.wardCode, legacy: nil)
            if let reference = draft.reference,
                let existing = try await tx.query("SELECT id FROM vacancies WHERE employer_id = \(employerID) AND reference = \(reference)", logger: logger).first(Int64.self)
            {
                throw AppError.conflict("Mã tham chiếu \(reference) đã dùng cho vị trí \(existing).", field: "reference", extra: ["existing_id": existing])
            }
            let rows = try await tx.query(
                """
                INSERT INTO vacancies (employer_id, reference, title, description, occupation_code, ward_code, slots, closing_date, wage_min, wage_max)
                VALUES (\(employerID), \(draft.reference), \(draft.title), \(draft.description), \(draft.occupationCode), \(draft.wardCode),
                        \(draft.slots), \(draft.closingDate.description)::date, \(draft.wageMin), \(draft.wageMax))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            let record = try await Self.records(rows).first!
            try await AuditLog.record(on: tx, actor: .employer(employerID: employerID, keyID: caller.keyID), action: "create", entity: "vacancy",
                                      entityID: record.id, after: ["title": record.title, "slots": "\(record.slots)"], logger: logger)
            return record
        }
    }

    func list(employerID: Int64, status: String?, limit: Int) async throws -> [VacancyRecord] {
        let rows = try await self.client.query(
            """
            SELECT \(unescaped: Self.columns) FROM vacancies
            WHERE employer_id = \(employerID) AND (\(status)::text IS NULL OR status = \(status)::text)
            ORDER BY id DESC LIMIT \(limit)
            """, logger: self.logger)
        return try await Self.records(rows)
    }

    func find(id: Int64, employerID: Int64) async throws -> VacancyRecord? {
        let rows = try await self.client.query(
            "SELECT \(unescaped: Self.columns) FROM vacancies WHERE id = \(id) AND employer_id = \(employerID)", logger: self.logger)
        return try await Self.records(rows).first
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [VacancyRecord] {
        var result: [VacancyRecord] = []
        for try await r in rows.decode(Row.self) {
            result.append(VacancyRecord(id: r.0, reference: r.1, title: r.2, description: r.3, occupationCode: r.4, wardCode: r.5,
                                        slots: r.6, slotsFilled: r.7, closingDate: r.8, wageMin: r.9, wageMax: r.10, status: r.11, createdAt: r.12))
        }
        return result
    }
}
