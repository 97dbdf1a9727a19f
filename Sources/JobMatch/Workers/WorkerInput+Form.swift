import Foundation

extension WorkerInput {
    /// The register or edit form read into the same input the JSON route decodes. An empty field
    /// is absent (when editing, that empties it); a date is typed `dd/mm/yyyy`; numbers are checked
    /// here and everything else by `ValidWorker`, so a page and the API refuse alike.
    init(form: WebForm, creating: Bool) throws {
        guard let birth = try form.date("birth_date") else {
            throw AppError.invalid(field: "birth_date", "Hãy nhập ngày sinh.")
        }
        guard let sex = form.text("sex") else { throw AppError.invalid(field: "sex", "Hãy chọn giới tính.") }
        let other = (form.text("occupation_other") ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        var occupations: [String] = []
        for code in form.values("occupation_codes") + other where !occupations.contains(code) { occupations.append(code) }
        self.init(
            fullName: form.text("full_name"),
            cccd: form.text("cccd"),
            cmnd: form.text("cmnd"),
            birthDate: birth,
            sex: sex,
            wardCode: form.text("ward_code"),
            legacyWardCode: form.text("legacy_ward_code"),
            householdId: try form.integer("household_id", label: "Mã hộ gia đình"),
            occupationCodes: occupations,
            phone: form.text("phone"),
            ethnicity: form.text("ethnicity"),
            disabilityType: form.text("disability_type"),
            disabilitySeverity: form.text("disability_severity"),
            maxCommuteKm: try form.int("max_commute_km", label: "Khoảng cách đi làm tối đa"),
            willingAbroad: form.flag("willing_abroad"),
            educationLevel: form.text("education_level"),
            qualification: form.text("qualification"),
            major: form.text("major"),
            currentJob: form.text("current_job"),
            unemployedSince: try form.date("unemployed_since"),
            consents: creating ? form.values("consents") : nil,
            consentMeans: creating ? (form.text("consent_means") ?? "paper_form") : nil,
            jobSeekingStatus: form.text("job_seeking_status")
        )
    }
}
