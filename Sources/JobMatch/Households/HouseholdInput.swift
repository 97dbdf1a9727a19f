import JobMatchCore

/// A household with its first status: the body of `POST /households`, and what the register page reads.
struct HouseholdInput: Decodable, Sendable {
    var headName: String?
    var wardCode: String?
    var legacyWardCode: String?
    var address: String?
    /// The commune's own code for the household on its poverty list (unique within the ward).
    var householdCode: String?
    var status: String
    var statusValidFrom: String
    var statusValidTo: String?
    var standard: String?
    var decisionRef: String?
}

extension HouseholdInput {
    /// The register form: the head's name, then the status and its date are checked here only to
    /// say in words what is missing (the service checks everything).
    init(form: WebForm) throws {
        _ = try CleanText.required(form.text("head_name"), field: "head_name", label: "Họ tên chủ hộ")
        self.init(
            headName: form.text("head_name"),
            wardCode: form.text("ward_code"),
            legacyWardCode: form.text("legacy_ward_code"),
            address: form.text("address"),
            householdCode: form.text("household_code"),
            status: try HouseholdStatusInput.status(form),
            statusValidFrom: try HouseholdStatusInput.from(form, field: "status_valid_from"),
            statusValidTo: nil,
            standard: form.text("standard"),
            decisionRef: form.text("decision_ref")
        )
    }
}
