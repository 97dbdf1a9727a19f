import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Workers (trainees and job seekers): one person, one record, keyed by CCCD.
struct WorkerRoutes {
    let client: PostgresClient

    /// `POST /workers` body.
    struct NewWorker: Decodable {
        var fullName: String?
        var cccd: String?
        /// The old 9-digit identity card number, as a secondary identifier.
        var cmnd: String?
        var birthDate: String
        var sex: String
        var wardCode: String?
        var legacyWardCode: String?
        var householdId: Int64?
        var occupationCodes: [String]?
        var phone: String?
        var ethnicity: String?
        var disabilityType: String?
        var disabilitySeverity: String?
        var maxCommuteKm: Int?
        var willingAbroad: Bool?
        var educationLevel: String?
        var qualification: String?
        var major: String?
        var currentJob: String?
        var unemployedSince: String?
        /// Where the worker would work: 2025 ward codes and legacy district codes.
        var preferredWardCodes: [String]?
        var preferredLegacyDistrictCodes: [String]?
        /// Purposes the worker consented to now, e.g. `["referral"]`.
        var consents: [String]?
        var consentMeans: String?
        /// `seeking` (default), `employed` or `not_seeking`.
        var jobSeekingStatus: String?
    }

    /// What staff see of a worker; CCCD and phone are masked for viewers.
    struct WorkerView: ResponseCodable {
        let id: Int64
        let fullName: String
        var cccd: String?
        var cmnd: String?
        let birthDate: String
        let sex: String
        let ethnicity: String?
        let disabilityType: String?
        let disabilitySeverity: String?
        var phone: String?
        let wardCode: String
        let wardName: String
        let legacyWardCode: String?
        let householdId: Int64?
        /// The household's status today.
        let householdStatus: String
        let educationLevel: String?
        let qualification: String?
        let major: String?
        let currentJob: String?
        let unemployedSince: String?
        let jobSeekingStatus: String
        let maxCommuteKm: Int?
        let willingAbroad: Bool
        let occupationCodes: [String]
        let preferredWardCodes: [String]
        let preferredLegacyDistrictCodes: [String]
        /// Set when this record was merged into another: use that one.
        let mergedInto: Int64?
        let anonymised: Bool
    }

    enum DisabilityType: String, CaseIterable { case motor, hearingSpeech = "hearing_speech", visual, neuroPsychiatric = "neuro_psychiatric", intellectual, other }
    enum DisabilitySeverity: String, CaseIterable { case particularlySevere = "particularly_severe", severe, mild }
    enum ConsentPurpose: String, CaseIterable { case referral, shareContactWithEmployer = "share_contact_with_employer", dataProcessing = "data_processing" }
    enum ConsentMeans: String, CaseIterable { case paperForm = "paper_form", inPerson = "in_person", electronic }
    enum EducationLevel: String, CaseIterable { case none, primary, lowerSecondary = "lower_secondary", upperSecondary = "upper_secondary" }
    enum JobSeekingStatus: String, CaseIterable { case seeking, employed, notSeeking = "not_seeking" }
    enum Qualification: String, CaseIterable {
        case none, under3Months = "under_3_months", soCap = "so_cap", trungCap = "trung_cap", caoDang = "cao_dang", daiHoc = "dai_hoc"
        case postGraduate = "post_graduate"
    }

    /// A page of search results.
    struct WorkerPage: ResponseCodable {
        let workers: [WorkerSearch.Row]
        let nextCursor: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers", use: self.search)
        group.post("workers", use: self.create)
        group.get("workers/:id", use: self.show)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewWorker.self, context: context)
        let valid = try ValidWorker(input, today: .today())
        let consents = try (input.consents ?? []).map { try Input.choice($0, as: ConsentPurpose.self, field: "consents") }
        let means = try Input.choice(input.consentMeans ?? "paper_form", as: ConsentMeans.self, field: "consent_means")
        let logger = context.logger

        let id = try await self.client.withTransaction(logger: logger) { tx in
            if let cccd = valid.cccd, let existing = try await Self.worker(withCCCD: cccd, on: tx, logger: logger) {
                throw AppError.conflict("Số CCCD này đã được đăng ký cho người lao động mã \(existing).", field: "cccd", extra: ["existing_id": existing])
            }
            let ward = try await valid.checkReferences(ReferenceCheck(connection: tx, logger: logger))
            let rows = try await tx.query(
                """
                INSERT INTO workers (full_name, cccd, cmnd, birth_date, sex, ethnicity, disability_type, disability_severity, phone,
                                     ward_code, legacy_ward_code, household_id, max_commute_km, willing_abroad, education_level,
                                     qualification, major, current_job, unemployed_since, job_seeking_status, created_by)
                VALUES (\(valid.name), \(valid.cccd), \(valid.cmnd), \(valid.birth.description)::date, \(valid.sex.rawValue), \(valid.ethnicity),
                        \(valid.disability?.rawValue), \(valid.severity?.rawValue), \(valid.phone), \(ward), \(valid.legacyWard),
                        \(valid.householdID), \(valid.maxCommuteKm), \(valid.willingAbroad), \(valid.education?.rawValue),
                        \(valid.qualification?.rawValue), \(valid.major), \(valid.currentJob), \(valid.unemployedSince?.description)::date,
                        \(valid.jobSeekingStatus.rawValue), \(staff.id))
                RETURNING id
                """, logger: logger)
            let id = try await rows.first(Int64.self)!
            try await valid.replaceLinks(of: id, on: tx, logger: logger)
            for purpose in Set(consents.map(\.rawValue)) {
                try await tx.query(
                    "INSERT INTO worker_consents (worker_id, purpose, means, given_at, created_by) VALUES (\(id), \(purpose), \(means.rawValue), now(), \(staff.id))",
                    logger: logger)
            }
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "worker", entityID: id,
                                      after: valid.auditValues(ward: ward), logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    /// `GET /workers?q=&ward_code=&legacy_district_code=&household_status=&occupation_code=&job_seeking_status=&limit=&after=`
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> WorkerPage {
        _ = try context.requireStaff()
        let query = request.uri.queryParameters
        var criteria = WorkerSearch.Criteria()
        criteria.text = query.get("q")
        if let q = criteria.text, q.count > 100 { throw AppError.invalid(field: "q", "Từ khóa tìm kiếm dài quá 100 ký tự.") }
        criteria.wardCode = try query.get("ward_code").map { try Input.wardCode($0, field: "ward_code") }
        if let district = query.get("legacy_district_code") {
            guard district.count == 3, district.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw AppError.invalid(field: "legacy_district_code", "Mã huyện cũ phải gồm đúng 3 chữ số (ví dụ 930).")
            }
            criteria.legacyDistrictCode = district
        }
        criteria.householdStatus = try query.get("household_status").map { try Input.choice($0, as: HouseholdStatus.self, field: "household_status") }
        criteria.occupationCode = try query.get("occupation_code").map { try Input.occupationCode($0, field: "occupation_code") }
        if let seeking = query.get("job_seeking_status") {
            guard ["seeking", "employed", "not_seeking"].contains(seeking) else {
                throw AppError.invalid(field: "job_seeking_status", "Trạng thái tìm việc chỉ nhận: seeking, employed, not_seeking.")
            }
            criteria.jobSeekingStatus = seeking
        }
        criteria.limit = try Input.limit(query.get("limit"), default: 50, maximum: 200)
        if let after = query.get("after") {
            guard let cursor = WorkerSearch.Cursor(token: after) else { throw AppError.invalid(field: "after", "Con trỏ trang không hợp lệ.") }
            criteria.after = cursor
        }
        let logger = context.logger
        let (rows, next) = try await self.client.withConnection { connection in
            try await WorkerSearch(connection: connection, logger: logger).page(criteria)
        }
        return WorkerPage(workers: rows, nextCursor: next?.token)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> WorkerView {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard let view = try await Self.view(id, role: staff.role, on: tx, logger: logger) else {
                throw AppError.notFound("người lao động \(id)")
            }
            // Reading a person's record is a sensitive read: audited.
            try await AuditLog.record(on: tx, actor: context.principal, action: "view", entity: "worker", entityID: id, logger: logger)
            return view
        }
    }

    /// One worker's record as staff see it, masked for the role; nil when there is none.
    static func view(_ id: Int64, role: StaffRole, on connection: PostgresConnection, logger: Logger) async throws -> WorkerView? {
        let rows = try await connection.query(
            """
            SELECT json_build_object(
                'id', w.id, 'full_name', w.full_name, 'cccd', w.cccd, 'cmnd', w.cmnd, 'birth_date', w.birth_date::text, 'sex', w.sex,
                'ethnicity', w.ethnicity, 'disability_type', w.disability_type, 'disability_severity', w.disability_severity,
                'phone', w.phone, 'ward_code', w.ward_code, 'ward_name', wd.ward_name, 'legacy_ward_code', w.legacy_ward_code,
                'household_id', w.household_id, 'household_status', household_status_on(w.household_id, \(LocalDate.today().description)::date),
                'education_level', w.education_level, 'qualification', w.qualification, 'major', w.major, 'current_job', w.current_job,
                'unemployed_since', w.unemployed_since::text, 'job_seeking_status', w.job_seeking_status, 'max_commute_km', w.max_commute_km,
                'willing_abroad', w.willing_abroad,
                'occupation_codes', ARRAY(SELECT occupation_code FROM worker_occupations WHERE worker_id = w.id ORDER BY 1),
                'preferred_ward_codes', ARRAY(SELECT ward_code FROM worker_preferred_areas WHERE worker_id = w.id AND ward_code IS NOT NULL ORDER BY 1),
                'preferred_legacy_district_codes',
                    ARRAY(SELECT legacy_district_code FROM worker_preferred_areas WHERE worker_id = w.id AND legacy_district_code IS NOT NULL ORDER BY 1),
                'merged_into', w.merged_into, 'anonymised', w.anonymised_at IS NOT NULL
            )::text
            FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code WHERE w.id = \(id)
            """, logger: logger)
        guard let json = try await rows.first(String.self) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var view = try decoder.decode(WorkerView.self, from: Data(json.utf8))
        if role == .viewer {
            view.cccd = view.cccd.map(CitizenID.masked)
            view.cmnd = view.cmnd.map(CitizenID.masked)
            view.phone = view.phone.map(PersonalDataMask.phone)
        }
        return view
    }

    static func worker(withCCCD cccd: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await connection.query("SELECT id FROM workers WHERE cccd = \(cccd)", logger: logger).first(Int64.self)
    }
}
