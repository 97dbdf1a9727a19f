import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Workers (trainees and job seekers): one person, one record, keyed by CCCD.
struct WorkerRoutes {
    let client: PostgresClient

    /// `POST /workers` body.
    struct NewWorker: Decodable {
        let fullName: String?
        let cccd: String?
        let birthDate: String
        let sex: String
        let wardCode: String?
        let legacyWardCode: String?
        let householdId: Int64?
        let occupationCodes: [String]?
        let phone: String?
        let ethnicity: String?
        let disabilityType: String?
        let disabilitySeverity: String?
        let maxCommuteKm: Int?
        let willingAbroad: Bool?
        let educationLevel: String?
        let qualification: String?
        let major: String?
        let currentJob: String?
        let unemployedSince: String?
        /// Where the worker would work: 2025 ward codes and legacy district codes.
        let preferredWardCodes: [String]?
        let preferredLegacyDistrictCodes: [String]?
        /// Purposes the worker consented to now, e.g. `["referral"]`.
        let consents: [String]?
        let consentMeans: String?
    }

    /// What staff see of a worker; the CCCD is masked for viewers.
    struct WorkerView: ResponseCodable {
        let id: Int64
        let fullName: String
        let cccd: String?
        let birthDate: String
        let sex: String
        let wardCode: String
        let householdId: Int64?
        let occupationCodes: [String]
        let jobSeekingStatus: String
    }

    enum DisabilityType: String, CaseIterable { case motor, hearingSpeech = "hearing_speech", visual, neuroPsychiatric = "neuro_psychiatric", intellectual, other }
    enum DisabilitySeverity: String, CaseIterable { case particularlySevere = "particularly_severe", severe, mild }
    enum ConsentPurpose: String, CaseIterable { case referral, shareContactWithEmployer = "share_contact_with_employer", dataProcessing = "data_processing" }
    enum ConsentMeans: String, CaseIterable { case paperForm = "paper_form", inPerson = "in_person", electronic }
    enum EducationLevel: String, CaseIterable { case none, primary, lowerSecondary = "lower_secondary", upperSecondary = "upper_secondary" }
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
        let name = try CleanText.required(input.fullName, field: "full_name", label: "Họ và tên")
        let birth = try Input.date(input.birthDate, field: "birth_date", label: "Ngày sinh")
        let today = LocalDate.today()
        guard birth < today else { throw AppError.invalid(field: "birth_date", "Ngày sinh phải là một ngày trong quá khứ.") }
        guard (15...100).contains(birth.age(on: today)) else {
            throw AppError.invalid(field: "birth_date", "Người lao động phải từ 15 tuổi trở lên (tuổi theo ngày sinh: \(birth.age(on: today))).")
        }
        let sex = try Input.choice(input.sex, as: Sex.self, field: "sex")
        let cccd = try input.cccd.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in
            try CitizenID.validate(raw, birthDate: birth, sex: sex)
        }
        let legacy = try input.legacyWardCode.map { try Input.wardCode($0, field: "legacy_ward_code") }
        let occupations = try (input.occupationCodes ?? []).enumerated().map { index, code in
            try Input.occupationCode(code, field: "occupation_codes[\(index)]")
        }
        guard occupations.count <= 20 else { throw AppError.invalid(field: "occupation_codes", "Tối đa 20 mã nghề.") }
        let phone = try input.phone.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in try PhoneNumber.normalize(raw) }
        let ethnicity = try CleanText.optional(input.ethnicity, field: "ethnicity", label: "Dân tộc", maxLength: 50)
        let disability = try input.disabilityType.map { try Input.choice($0, as: DisabilityType.self, field: "disability_type") }
        let severity = try input.disabilitySeverity.map { try Input.choice($0, as: DisabilitySeverity.self, field: "disability_severity") }
        guard (disability == nil) == (severity == nil) else {
            throw AppError.invalid(field: disability == nil ? "disability_type" : "disability_severity",
                                   "Dạng tật và mức độ khuyết tật phải được khai cùng nhau.")
        }
        if let km = input.maxCommuteKm, !(0...2000).contains(km) {
            throw AppError.invalid(field: "max_commute_km", "Khoảng cách đi làm tối đa phải từ 0 đến 2000 km.")
        }
        let consents = try (input.consents ?? []).map { try Input.choice($0, as: ConsentPurpose.self, field: "consents") }
        let means = try Input.choice(input.consentMeans ?? "paper_form", as: ConsentMeans.self, field: "consent_means")
        let education = try input.educationLevel.map { try Input.choice($0, as: EducationLevel.self, field: "education_level") }
        let qualification = try input.qualification.map { try Input.choice($0, as: Qualification.self, field: "qualification") }
        let major = try CleanText.optional(input.major, field: "major", label: "Chuyên ngành", maxLength: 200)
        let currentJob = try CleanText.optional(input.currentJob, field: "current_job", label: "Công việc hiện tại", maxLength: 200)
        let unemployedSince = try Input.optionalDate(input.unemployedSince, field: "unemployed_since", label: "Thất nghiệp từ ngày")
        if let unemployedSince, unemployedSince > today {
            throw AppError.invalid(field: "unemployed_since", "Ngày bắt đầu thất nghiệp không thể ở tương lai.")
        }
        let preferredWards = try (input.preferredWardCodes ?? []).enumerated().map { index, code in
            try Input.wardCode(code, field: "preferred_ward_codes[\(index)]")
        }
        let preferredDistricts = try (input.preferredLegacyDistrictCodes ?? []).enumerated().map { index, code in
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw AppError.invalid(field: "preferred_legacy_district_codes[\(index)]", "Mã huyện cũ phải gồm đúng 3 chữ số.")
            }
            return code
        }
        let logger = context.logger

        let id = try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            if let cccd, let existing = try await Self.worker(withCCCD: cccd, on: tx, logger: logger) {
                throw AppError.conflict("Số CCCD này đã được đăng ký cho người lao động mã \(existing).", field: "cccd", extra: ["existing_id": existing])
            }
            let ward = try await check.resolveWard(input.wardCode, legacy: legacy)
            if let household = input.householdId {
                try await check.record(.households, id: household, field: "household_id", label: "hộ gia đình")
            }
            for (index, code) in occupations.enumerated() {
                try await check.occupation(code, field: "occupation_codes[\(index)]")
            }
            for (index, code) in preferredWards.enumerated() {
                guard try await check.exists("SELECT 1 FROM wards_2025 WHERE ward_code = \(code)") else {
                    throw AppError.invalid(field: "preferred_ward_codes[\(index)]", "Mã xã/phường \(code) không có trong danh mục 2025.")
                }
            }
            for (index, code) in preferredDistricts.enumerated() {
                guard try await check.exists("SELECT 1 FROM legacy_districts WHERE district_code = \(code)") else {
                    throw AppError.invalid(field: "preferred_legacy_district_codes[\(index)]", "Mã huyện cũ \(code) không có trong danh mục.")
                }
            }
            let rows = try await tx.query(
                """
                INSERT INTO workers (full_name, cccd, birth_date, sex, ethnicity, disability_type, disability_severity, phone,
                                     ward_code, legacy_ward_code, household_id, max_commute_km, willing_abroad, education_level,
                                     qualification, major, current_job, unemployed_since, created_by)
                VALUES (\(name), \(cccd), \(birth.description)::date, \(sex.rawValue), \(ethnicity), \(disability?.rawValue),
                        \(severity?.rawValue), \(phone), \(ward), \(legacy), \(input.householdId), \(input.maxCommuteKm),
                        \(input.willingAbroad ?? false), \(education?.rawValue), \(qualification?.rawValue), \(major), \(currentJob),
                        \(unemployedSince?.description)::date, \(staff.id))
                RETURNING id
                """, logger: logger)
            let id = try await rows.first(Int64.self)!
            try await tx.query(
                "INSERT INTO worker_occupations (worker_id, occupation_code) SELECT \(id), unnest(\(Array(Set(occupations)))::text[])",
                logger: logger)
            try await tx.query(
                """
                INSERT INTO worker_preferred_areas (worker_id, ward_code)
                SELECT \(id), unnest(\(Array(Set(preferredWards)))::text[])
                """, logger: logger)
            try await tx.query(
                """
                INSERT INTO worker_preferred_areas (worker_id, legacy_district_code)
                SELECT \(id), unnest(\(Array(Set(preferredDistricts)))::text[])
                """, logger: logger)
            for purpose in Set(consents.map(\.rawValue)) {
                try await tx.query(
                    "INSERT INTO worker_consents (worker_id, purpose, means, given_at, created_by) VALUES (\(id), \(purpose), \(means.rawValue), now(), \(staff.id))",
                    logger: logger)
            }
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "worker", entityID: id,
                                      after: ["ward_code": ward, "has_cccd": cccd == nil ? "no" : "yes"], logger: logger)
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
            let rows = try await tx.query(
                """
                SELECT full_name, cccd, birth_date::text, sex, ward_code, household_id, job_seeking_status,
                       ARRAY(SELECT occupation_code FROM worker_occupations WHERE worker_id = w.id ORDER BY occupation_code)
                FROM workers w WHERE id = \(id)
                """, logger: logger)
            guard let row = try await rows.decode((String, String?, String, String, String, Int64?, String, [String]).self).first(where: { _ in true }) else {
                throw AppError.notFound("người lao động \(id)")
            }
            // Reading a person's record is a sensitive read: audited.
            try await AuditLog.record(on: tx, actor: context.principal, action: "view", entity: "worker", entityID: id, logger: logger)
            let cccd = staff.role == .viewer ? row.1.map(CitizenID.masked) : row.1
            return WorkerView(id: id, fullName: row.0, cccd: cccd, birthDate: row.2, sex: row.3, wardCode: row.4,
                              householdId: row.5, occupationCodes: row.7, jobSeekingStatus: row.6)
        }
    }

    static func worker(withCCCD cccd: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await connection.query("SELECT id FROM workers WHERE cccd = \(cccd)", logger: logger).first(Int64.self)
    }
}
