/// A newly recognised status: the body of `POST /households/{id}/statuses`, and what the status form reads.
struct HouseholdStatusInput: Decodable, Sendable {
    var status: String
    var validFrom: String
    var validTo: String?
    var standard: String?
    var decisionRef: String?
}

extension HouseholdStatusInput {
    /// The status form (dates typed `dd/mm/yyyy`).
    init(form: WebForm) throws {
        self.init(
            status: try Self.status(form),
            validFrom: try Self.from(form, field: "valid_from"),
            validTo: try form.date("valid_to"),
            standard: form.text("standard"),
            decisionRef: form.text("decision_ref")
        )
    }

    /// The chosen status, or a 422 asking for one.
    static func status(_ form: WebForm) throws -> String {
        guard let status = form.text("status") else { throw AppError.invalid(field: "status", "Hãy chọn tình trạng hộ.") }
        return status
    }

    /// The first day in force, or a 422 asking for it.
    static func from(_ form: WebForm, field: String) throws -> String {
        guard let date = try form.date(field) else {
            throw AppError.invalid(field: field, "Hãy nhập ngày bắt đầu có hiệu lực, ví dụ 01/01/2026.")
        }
        return date
    }
}
