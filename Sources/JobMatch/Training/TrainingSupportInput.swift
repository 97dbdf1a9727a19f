/// A training support granted for an enrolment: the body of `POST /training-supports`.
struct TrainingSupportInput: Decodable, Sendable {
    var enrolmentId: Int64
    var amountVnd: Int64
    var basis: String
    var decidedOn: String
}

extension TrainingSupportInput {
    /// The support form of a learner's row on a course's page.
    init(form: WebForm, enrolment: Int64) throws {
        self.init(
            enrolmentId: enrolment,
            amountVnd: try form.requiredInteger("amount_vnd", label: "Số tiền hỗ trợ"),
            basis: try form.required("basis", "Hãy chọn nhóm đối tượng được hỗ trợ."),
            decidedOn: try form.requiredDate("decided_on", label: "Ngày quyết định")
        )
    }
}
