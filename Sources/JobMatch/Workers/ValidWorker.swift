import JobMatchCore
import Logging
import PostgresNIO

/// A worker's fields after every rule that needs no database: the same rules for a new record
/// and for an edited one (an edit is the stored record with the changes laid over it).
struct ValidWorker {
    var name: String
    var cccd: String?
    var cmnd: String?
    var birth: LocalDate
    var sex: Sex
    var ethnicity: String?
    var disability: DisabilityType?
    var severity: DisabilitySeverity?
    var phone: String?
    var wardCode: String?
    var legacyWard: String?
    var householdID: Int64?
    var maxCommuteKm: Int?
    var willingAbroad: Bool
    var education: EducationLevel?
    var qualification: Qualification?
    var major: String?
    var currentJob: String?
    var unemployedSince: LocalDate?
    var jobSeekingStatus: JobSeekingStatus
    var occupations: [String]
    var preferredWards: [String]
    var preferredDistricts: [String]

    init(_ input: WorkerInput, today: LocalDate) throws {
        self.name = try CleanText.required(input.fullName, field: "full_name", label: "Họ và tên")
        let birth = try Input.date(input.birthDate, field: "birth_date", label: "Ngày sinh")
        try WorkerRules.checkBirth(birth, today: today)
        self.birth = birth
        let sex = try Input.choice(input.sex, as: Sex.self, field: "sex")
        self.sex = sex
        self.cccd = try input.cccd.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in
            try CitizenID.validate(raw, birthDate: birth, sex: sex)
        }
        self.cmnd = try input.cmnd.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in try CitizenID.validateOldID(raw) }
        (self.wardCode, self.legacyWard) = try WorkerRules.place(
            ward: input.wardCode.flatMap { $0.isEmpty ? nil : $0 },
            legacyWard: input.legacyWardCode.flatMap { $0.isEmpty ? nil : $0 }
        )
        self.householdID = input.householdId
        self.occupations = try (input.occupationCodes ?? []).enumerated().map { index, code in
            try WorkerRules.occupationCode(code, field: "occupation_codes[\(index)]")
        }
        guard self.occupations.count <= 20 else { throw AppError.invalid(field: "occupation_codes", "Tối đa 20 mã nghề.") }
        self.phone = try input.phone.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(FieldError) in try PhoneNumber.normalize(raw) }
        self.ethnicity = try EthnicGroup.validate(input.ethnicity, field: "ethnicity")?.name
        self.disability = try input.disabilityType.map { try Input.choice($0, as: DisabilityType.self, field: "disability_type") }
        self.severity = try input.disabilitySeverity.map {
            try Input.choice($0, as: DisabilitySeverity.self, field: "disability_severity")
        }
        guard (self.disability == nil) == (self.severity == nil) else {
            throw AppError.invalid(
                field: self.disability == nil ? "disability_type" : "disability_severity",
                "Dạng tật và mức độ khuyết tật phải được khai cùng nhau."
            )
        }
        if let km = input.maxCommuteKm, !(0...2000).contains(km) {
            throw AppError.invalid(field: "max_commute_km", "Khoảng cách đi làm tối đa phải từ 0 đến 2000 km.")
        }
        self.maxCommuteKm = input.maxCommuteKm
        self.willingAbroad = input.willingAbroad ?? false
        self.education = try input.educationLevel.map { try Input.choice($0, as: EducationLevel.self, field: "education_level") }
        self.qualification = try input.qualification.map { try Input.choice($0, as: Qualification.self, field: "qualification") }
        self.major = try CleanText.optional(input.major, field: "major", label: "Chuyên ngành", maxLength: 200)
        self.currentJob = try CleanText.optional(input.currentJob, field: "current_job", label: "Công việc hiện tại", maxLength: 200)
        self.unemployedSince = try Input.optionalDate(input.unemployedSince, field: "unemployed_since", label: "Thất nghiệp từ ngày")
        if let since = self.unemployedSince, since > today {
            throw AppError.invalid(field: "unemployed_since", "Ngày bắt đầu thất nghiệp không thể ở tương lai.")
        }
        if let since = self.unemployedSince, since < birth {
            throw AppError.invalid(field: "unemployed_since", "Ngày bắt đầu thất nghiệp không thể trước ngày sinh.")
        }
        self.jobSeekingStatus = try Input.choice(input.jobSeekingStatus ?? "seeking", as: JobSeekingStatus.self, field: "job_seeking_status")
        self.preferredWards = try (input.preferredWardCodes ?? []).enumerated().map { index, code in
            try WorkerRules.wardCode(code, field: "preferred_ward_codes[\(index)]")
        }
        self.preferredDistricts = try (input.preferredLegacyDistrictCodes ?? []).enumerated().map { index, code in
            try WorkerRules.legacyDistrictCode(code, field: "preferred_legacy_district_codes[\(index)]")
        }
    }

    /// Checks every code and id against the database; returns the 2025 ward the record belongs to.
    func checkReferences(_ check: ReferenceCheck) async throws -> String {
        let ward = try await check.resolveWard(self.wardCode, legacy: self.legacyWard)
        if let household = self.householdID {
            try await check.record(.households, id: household, field: "household_id", label: "hộ gia đình")
        }
        for (index, code) in self.occupations.enumerated() {
            try await check.occupation(code, field: "occupation_codes[\(index)]")
        }
        for (index, code) in self.preferredWards.enumerated() {
            guard try await check.exists("SELECT 1 FROM wards_2025 WHERE ward_code = \(code)") else {
                throw AppError.invalid(field: "preferred_ward_codes[\(index)]", "Mã xã/phường \(code) không có trong danh mục 2025.")
            }
        }
        for (index, code) in self.preferredDistricts.enumerated() {
            guard try await check.exists("SELECT 1 FROM legacy_districts WHERE district_code = \(code)") else {
                throw AppError.invalid(field: "preferred_legacy_district_codes[\(index)]", "Mã huyện cũ \(code) không có trong danh mục.")
            }
        }
        return ward
    }

    /// Makes the worker's occupations and preferred areas exactly these.
    func replaceLinks(of id: Int64, on tx: PostgresConnection, logger: Logger) async throws {
        let occupations = Array(Set(self.occupations)).sorted()
        let wards = Array(Set(self.preferredWards)).sorted()
        let districts = Array(Set(self.preferredDistricts)).sorted()
        try await tx.query("DELETE FROM worker_occupations WHERE worker_id = \(id) AND NOT (occupation_code = ANY(\(occupations)))", logger: logger)
        try await tx.query(
            "INSERT INTO worker_occupations (worker_id, occupation_code) SELECT \(id), unnest(\(occupations)::text[]) ON CONFLICT DO NOTHING",
            logger: logger
        )
        try await tx.query(
            """
            DELETE FROM worker_preferred_areas WHERE worker_id = \(id)
              AND NOT (ward_code IS NOT NULL AND ward_code = ANY(\(wards))) AND NOT (legacy_district_code IS NOT NULL AND legacy_district_code = ANY(\(districts)))
            """,
            logger: logger
        )
        try await tx.query(
            "INSERT INTO worker_preferred_areas (worker_id, ward_code) SELECT \(id), unnest(\(wards)::text[]) ON CONFLICT DO NOTHING",
            logger: logger
        )
        try await tx.query(
            "INSERT INTO worker_preferred_areas (worker_id, legacy_district_code) SELECT \(id), unnest(\(districts)::text[]) ON CONFLICT DO NOTHING",
            logger: logger
        )
    }

    /// The values the audit trail keeps: CCCD and phone only masked, so that the trail itself
    /// never becomes a second copy of them.
    func auditValues(ward: String) -> [String: String] {
        var values: [String: String] = [
            "full_name": self.name, "birth_date": self.birth.description, "sex": self.sex.rawValue, "ward_code": ward,
            "willing_abroad": "\(self.willingAbroad)", "job_seeking_status": self.jobSeekingStatus.rawValue,
            "occupation_codes": Array(Set(self.occupations)).sorted().joined(separator: ","),
            "preferred_ward_codes": Array(Set(self.preferredWards)).sorted().joined(separator: ","),
            "preferred_legacy_district_codes": Array(Set(self.preferredDistricts)).sorted().joined(separator: ","),
        ]
        let optional: [(String, String?)] = [
            ("cccd", self.cccd.map(CitizenID.masked)), ("cmnd", self.cmnd.map(CitizenID.masked)), ("phone", self.phone.map(PersonalDataMask.phone)),
            ("ethnicity", self.ethnicity),
            ("disability_type", self.disability?.rawValue), ("disability_severity", self.severity?.rawValue),
            ("legacy_ward_code", self.legacyWard), ("household_id", self.householdID.map(String.init)),
            ("max_commute_km", self.maxCommuteKm.map(String.init)), ("education_level", self.education?.rawValue),
            ("qualification", self.qualification?.rawValue), ("major", self.major), ("current_job", self.currentJob),
            ("unemployed_since", self.unemployedSince?.description),
        ]
        for (key, value) in optional { values[key] = value ?? "" }
        return values
    }
}
