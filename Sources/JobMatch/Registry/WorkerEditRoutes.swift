import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `PATCH /workers/{id}`: corrects a worker's record with JSON merge-patch semantics (a field
/// left out stays, `null` empties it), validated by the same rules as a new record; the audit
/// trail keeps the changed fields' values before and after.
struct WorkerEditRoutes {
    let client: PostgresClient

    /// The fields a patch may carry (snake_case, as in `POST /workers`).
    static let editableFields: Set<String> = [
        "full_name", "cccd", "cmnd", "birth_date", "sex", "ward_code", "legacy_ward_code", "household_id", "occupation_codes", "phone",
        "ethnicity", "disability_type", "disability_severity", "max_commute_km", "willing_abroad", "education_level",
        "qualification", "major", "current_job", "unemployed_since", "preferred_ward_codes", "preferred_legacy_district_codes",
        "job_seeking_status",
    ]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.patch("workers/:id", use: self.edit)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> WorkerRoutes.WorkerView {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard let patch = (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] else {
            throw AppError(.badRequest, kind: "bad-request", title: "Yêu cầu không hợp lệ",
                           detail: "Nội dung gửi lên phải là một đối tượng JSON gồm các trường cần sửa.", field: nil)
        }
        if let unknown = patch.keys.sorted().first(where: { !Self.editableFields.contains($0) }) {
            throw AppError.invalid(field: unknown, "Không sửa được trường '\(unknown)' ở đây.")
        }
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard let currentJSON = try await tx.query(Self.currentRecord(id), logger: logger).first(String.self) else {
                throw AppError.notFound("người lao động \(id)")
            }
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            let current = (try JSONSerialization.jsonObject(with: Data(currentJSON.utf8)) as? [String: Any]) ?? [:]
            var merged = current
            for (key, value) in patch {
                if value is NSNull { merged.removeValue(forKey: key) } else { merged[key] = value }
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let input: WorkerRoutes.NewWorker
            do {
                input = try decoder.decode(WorkerRoutes.NewWorker.self, from: JSONSerialization.data(withJSONObject: merged))
            } catch let error as DecodingError {
                throw AppError.badBody(error)
            }
            let valid = try ValidWorker(input, today: .today())
            if let cccd = valid.cccd, let existing = try await WorkerRoutes.worker(withCCCD: cccd, on: tx, logger: logger), existing != id {
                throw AppError.conflict("Số CCCD này đã được đăng ký cho người lao động mã \(existing).", field: "cccd", extra: ["existing_id": existing])
            }
            let ward = try await valid.checkReferences(ReferenceCheck(connection: tx, logger: logger))
            try await tx.query(
                """
                UPDATE workers SET full_name = \(valid.name), cccd = \(valid.cccd), cmnd = \(valid.cmnd), birth_date = \(valid.birth.description)::date,
                       sex = \(valid.sex.rawValue), ethnicity = \(valid.ethnicity), disability_type = \(valid.disability?.rawValue),
                       disability_severity = \(valid.severity?.rawValue), phone = \(valid.phone), ward_code = \(ward),
                       legacy_ward_code = \(valid.legacyWard), household_id = \(valid.householdID), max_commute_km = \(valid.maxCommuteKm),
                       willing_abroad = \(valid.willingAbroad), education_level = \(valid.education?.rawValue),
                       qualification = \(valid.qualification?.rawValue), major = \(valid.major), current_job = \(valid.currentJob),
                       unemployed_since = \(valid.unemployedSince?.description)::date, job_seeking_status = \(valid.jobSeekingStatus.rawValue)
                WHERE id = \(id)
                """, logger: logger)
            try await valid.replaceLinks(of: id, on: tx, logger: logger)
            var new = valid.auditValues(ward: ward)
            var previous = Self.auditValues(current)
            for key in Set(new.keys).union(previous.keys) where new[key, default: ""] == previous[key, default: ""] {
                new.removeValue(forKey: key)
                previous.removeValue(forKey: key)
            }
            if !new.isEmpty {
                try await AuditLog.record(on: tx, actor: context.principal, action: "update", entity: "worker", entityID: id,
                                          before: previous, after: new, logger: logger)
            }
            return try await WorkerRoutes.view(id, role: staff.role, on: tx, logger: logger)!
        }
    }

    /// The stored record as the JSON a client would send to create it.
    static func currentRecord(_ id: Int64) -> PostgresQuery {
        """
        SELECT json_strip_nulls(json_build_object(
            'full_name', full_name, 'cccd', cccd, 'cmnd', cmnd, 'birth_date', birth_date::text, 'sex', sex, 'ward_code', ward_code,
            'legacy_ward_code', legacy_ward_code, 'household_id', household_id, 'phone', phone, 'ethnicity', ethnicity,
            'disability_type', disability_type, 'disability_severity', disability_severity, 'max_commute_km', max_commute_km,
            'willing_abroad', willing_abroad, 'education_level', education_level, 'qualification', qualification, 'major', major,
            'current_job', current_job, 'unemployed_since', unemployed_since::text, 'job_seeking_status', job_seeking_status,
            'occupation_codes', ARRAY(SELECT occupation_code FROM worker_occupations WHERE worker_id = w.id ORDER BY 1),
            'preferred_ward_codes', ARRAY(SELECT ward_code FROM worker_preferred_areas WHERE worker_id = w.id AND ward_code IS NOT NULL ORDER BY 1),
            'preferred_legacy_district_codes',
                ARRAY(SELECT legacy_district_code FROM worker_preferred_areas WHERE worker_id = w.id AND legacy_district_code IS NOT NULL ORDER BY 1)
        ))::text
        FROM workers w WHERE id = \(id) FOR UPDATE
        """
    }

    /// The stored record's values in the form `ValidWorker.auditValues` writes them.
    static func auditValues(_ record: [String: Any]) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in record {
            switch value {
            case let list as [Any]: values[key] = list.map { "\($0)" }.joined(separator: ",")
            default: values[key] = "\(value)"
            }
        }
        values["willing_abroad"] = "\((record["willing_abroad"] as? Bool) ?? false)"
        if let cccd = record["cccd"] as? String { values["cccd"] = CitizenID.masked(cccd) }
        if let cmnd = record["cmnd"] as? String { values["cmnd"] = CitizenID.masked(cmnd) }
        if let phone = record["phone"] as? String { values["phone"] = PersonalDataMask.phone(phone) }
        return values
    }
}
