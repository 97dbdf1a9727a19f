/// A new employer: the body of `POST /employers`, and what the new-employer page reads.
struct EmployerInput: Decodable, Sendable {
    var name: String?
    var taxCode: String
    var wardCode: String
    var sector: String?
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
}

extension EmployerInput {
    /// The new-employer form: a ward typed outside the province wins over the list; 422 naming the
    /// field when something required is missing.
    init(form: WebForm) throws {
        self.init(
            name: try form.required("name", "Hãy nhập tên doanh nghiệp."),
            taxCode: try form.required("tax_code", "Hãy nhập mã số thuế."),
            wardCode: try form.text("ward_other") ?? form.required("ward_code", "Hãy chọn xã, phường nơi doanh nghiệp đặt trụ sở."),
            sector: form.text("sector"),
            contactName: form.text("contact_name"),
            contactPhone: form.text("contact_phone"),
            contactEmail: form.text("contact_email")
        )
    }
}
