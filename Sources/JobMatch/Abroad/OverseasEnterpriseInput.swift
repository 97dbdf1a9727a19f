/// An enterprise licensed to send workers abroad: the body of `POST /overseas-enterprises`, and what its page reads.
struct OverseasEnterpriseInput: Decodable, Sendable {
    var name: String?
    var licenceNumber: String?
    var licenceValidFrom: String
    var licenceValidTo: String?
}

extension OverseasEnterpriseInput {
    /// The new-enterprise form (dates typed `dd/mm/yyyy`).
    init(form: WebForm) throws {
        self.init(
            name: try form.required("name", "Hãy nhập tên doanh nghiệp."),
            licenceNumber: try form.required("licence_number", "Hãy nhập số giấy phép."),
            licenceValidFrom: try form.requiredDate("licence_valid_from", label: "Ngày cấp giấy phép"),
            licenceValidTo: try form.date("licence_valid_to")
        )
    }
}
