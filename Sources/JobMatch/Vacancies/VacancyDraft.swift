import EmployerAPI
import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// A vacancy as an employer sent it, after every rule that needs no database (the registry's
/// rules: codes, NFC text, VND wages, ages, a closing date not in the past, a Vietnamese phone).
struct VacancyDraft: Sendable {
    var reference: String?
    var title: String
    var description: String?
    var occupationCode: String
    var skillNames: [String]
    var wardCode: String?
    var legacyWardCode: String?
    var slots: Int
    var wageMin: Int64?
    var wageMax: Int64?
    var workingHours: String?
    var minAge: Int?
    var maxAge: Int?
    var closingDate: LocalDate
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
    var openToAbroadBound: Bool

    init(_ body: Components.Schemas.VacancyInput, reference pathReference: String? = nil) throws {
        self.title = try CleanText.required(body.title, field: "title", label: "Tên vị trí", maxLength: 200)
        self.description = try CleanText.optional(body.description, field: "description", label: "Mô tả", maxLength: 5000)
        let bodyReference = try CleanText.optional(body.reference, field: "reference", label: "Mã tham chiếu", maxLength: 100)
        if let pathReference {
            if let bodyReference, bodyReference != pathReference {
                throw AppError.invalid(field: "reference", "Mã tham chiếu trong nội dung khác với mã trên đường dẫn.")
            }
            self.reference = try CleanText.required(pathReference, field: "reference", label: "Mã tham chiếu", maxLength: 100)
        } else {
            self.reference = bodyReference
        }
        self.occupationCode = try Input.occupationCode(body.occupationCode, field: "occupation_code")
        self.skillNames = try (body.skills ?? []).enumerated().map { index, name in
            try CleanText.required(name, field: "skills[\(index)]", label: "Tên kỹ năng", maxLength: 200)
        }
        guard self.skillNames.count <= 30 else { throw AppError.invalid(field: "skills", "Tối đa 30 kỹ năng.") }
        self.wardCode = try body.wardCode.map { try Input.wardCode($0, field: "ward_code") }
        self.legacyWardCode = try body.legacyWardCode.map { try Input.wardCode($0, field: "legacy_ward_code") }
        if self.wardCode == nil && self.legacyWardCode == nil {
            throw AppError.invalid(field: "ward_code", "Cần mã xã/phường nơi làm việc (ward_code, mã 2025) hoặc mã xã cũ (legacy_ward_code).")
        }
        guard (1...10000).contains(body.slots) else { throw AppError.invalid(field: "slots", "Số lượng cần tuyển phải từ 1 đến 10.000.") }
        self.slots = body.slots
        try ValueRange<Int64>.monthlyWage.checkBand(
            low: body.wageMin,
            lowField: "wage_min",
            high: body.wageMax,
            highField: "wage_max",
            orderMessage: "Mức lương tối đa phải không nhỏ hơn mức lương tối thiểu."
        )
        self.wageMin = body.wageMin
        self.wageMax = body.wageMax
        self.workingHours = try CleanText.optional(body.workingHours, field: "working_hours", label: "Thời gian làm việc", maxLength: 200)
        try ValueRange<Int>.workingAge.checkBand(
            low: body.minAge,
            lowField: "min_age",
            high: body.maxAge,
            highField: "max_age",
            orderMessage: "Tuổi tối đa phải không nhỏ hơn tuổi tối thiểu."
        )
        self.minAge = body.minAge
        self.maxAge = body.maxAge
        self.closingDate = try Input.date(body.closingDate, field: "closing_date", label: "Hạn nộp hồ sơ")
        guard self.closingDate >= LocalDate.today() else {
            throw AppError.invalid(field: "closing_date", "Hạn nộp hồ sơ không thể ở quá khứ.")
        }
        self.contactName = try CleanText.optional(body.contact?.name, field: "contact.name", label: "Người liên hệ", maxLength: 150)
        self.contactPhone = try body.contact?.phone.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in
            try PhoneNumber.normalizeContact(raw, field: "contact.phone")
        }
        self.contactEmail = try body.contact?.email.flatMap { $0.isEmpty ? nil : $0 }.map { raw in
            let email = raw.trimmingCharacters(in: .whitespaces)
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard email.count <= 200, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" ") else {
                throw AppError.invalid(field: "contact.email", "Địa chỉ email không hợp lệ.")
            }
            return email
        }
        self.openToAbroadBound = body.openToAbroadBound ?? false
    }

    /// Checks the codes and skill names against the database: the 2025 ward (derived from a
    /// legacy code when unambiguous) and the catalogue ids of the skills.
    func checkReferences(on tx: PostgresConnection, catalogue: ReferenceCatalogue, logger: Logger) async throws -> (ward: String, skills: [Int64]) {
        let check = ReferenceCheck(connection: tx, logger: logger)
        let ward: String
        if let wardCode = self.wardCode, self.legacyWardCode == nil, catalogue.wardName(wardCode) != nil, catalogue.hasOccupation(self.occupationCode)
        {
            // The usual case, known codes: no query at all.
            ward = wardCode
        } else if let wardCode = self.wardCode, self.legacyWardCode == nil {
            // The usual case, in one round trip: the occupation and the 2025 ward exist.
            let (occupationExists, wardExists) =
                try await tx.query(
                    """
                    SELECT EXISTS (SELECT 1 FROM occupations WHERE code = \(self.occupationCode)),
                           EXISTS (SELECT 1 FROM wards_2025 WHERE ward_code = \(wardCode))
                    """,
                    logger: logger
                ).decode((Bool, Bool).self).first(where: { _ in true }) ?? (false, false)
            if !occupationExists { try await check.occupation(self.occupationCode) }
            if !wardExists { try await check.wards(wardCode, legacy: nil) }
            ward = wardCode
        } else {
            try await check.occupation(self.occupationCode)
            ward = try await check.resolveWard(self.wardCode, legacy: self.legacyWardCode)
        }
        // Every name in one query, served by the index on the unaccented name (migration 0028).
        var skills: [Int64] = []
        if !self.skillNames.isEmpty {
            let rows = try await tx.query(
                """
                SELECT n.position::bigint, s.id
                FROM unnest(\(self.skillNames)::text[]) WITH ORDINALITY AS n(name, position)
                LEFT JOIN LATERAL (
                    SELECT id FROM skills WHERE lower(immutable_unaccent(name_vi)) = lower(immutable_unaccent(n.name)) ORDER BY id LIMIT 1
                ) s ON true
                ORDER BY n.position
                """,
                logger: logger
            )
            for try await (position, id) in rows.decode((Int64, Int64?).self) {
                guard let id else {
                    let index = Int(position) - 1
                    let name = self.skillNames[index]
                    throw AppError.invalid(field: "skills[\(index)]", "Kỹ năng '\(name)' không có trong danh mục (xem GET /api/v1/skills).")
                }
                skills.append(id)
            }
        }
        return (ward, Array(Set(skills)).sorted())
    }

    func auditValues(ward: String) -> [String: String] {
        [
            "title": self.title, "occupation_code": self.occupationCode, "ward_code": ward, "slots": "\(self.slots)",
            "closing_date": self.closingDate.description, "reference": self.reference ?? "",
        ]
    }

    /// A stored vacancy's values in the audit trail's form (contact phone masked).
    static func auditValues(of record: VacancyRecord) -> [String: String] {
        [
            "title": record.title, "description": record.description ?? "", "occupation_code": record.occupationCode,
            "skills": record.skills.joined(separator: ", "), "ward_code": record.wardCode, "legacy_ward_code": record.legacyWardCode ?? "",
            "slots": "\(record.slots)", "wage_min": record.wageMin.map(String.init) ?? "", "wage_max": record.wageMax.map(String.init) ?? "",
            "working_hours": record.workingHours ?? "", "min_age": record.minAge.map(String.init) ?? "",
            "max_age": record.maxAge.map(String.init) ?? "", "closing_date": record.closingDate, "contact_name": record.contactName ?? "",
            "contact_phone": record.contactPhone.map(PersonalDataMask.phone) ?? "", "contact_email": record.contactEmail ?? "",
            "open_to_abroad_bound": "\(record.openToAbroadBound)", "reference": record.reference ?? "",
        ]
    }
}
