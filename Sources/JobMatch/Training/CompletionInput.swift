/// A completed enrolment: the body of `POST /enrolments/{id}/complete`, and the row form of a course's page.
struct CompletionInput: Decodable, Sendable {
    var certificateNumber: String?
    var completedOn: String?
}

extension CompletionInput {
    /// The completion form (date typed `dd/mm/yyyy`; empty means today).
    init(form: WebForm) throws {
        self.init(certificateNumber: try form.required("certificate_number", "Hãy nhập số chứng chỉ."), completedOn: try form.date("completed_on"))
    }
}
