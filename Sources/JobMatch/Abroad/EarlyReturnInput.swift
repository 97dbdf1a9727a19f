/// A worker home before the contract's term: the body of `POST /overseas-contracts/{id}/early-return`.
struct EarlyReturnInput: Decodable, Sendable {
    var returnDate: String
    var reason: String?
}

extension EarlyReturnInput {
    /// The early-return form of a contract's page.
    init(form: WebForm) throws {
        self.init(
            returnDate: try form.requiredDate("return_date", label: "Ngày về nước"),
            reason: try form.required("reason", "Hãy nhập lý do về nước trước hạn.")
        )
    }
}
