/// A contract to work abroad: the body of `POST /overseas-contracts`, and what the new-contract page reads.
struct OverseasContractInput: Decodable, Sendable {
    var workerId: Int64
    var country: String
    var occupationCode: String
    var termMonths: Int
    var plannedDeparture: String
    var enterpriseId: Int64?
    var feeVnd: Int64?
    var depositVnd: Int64?
    var loanSource: String?
    /// The day the contract was signed; the enterprise's licence must be valid then. Today by default.
    var contractDate: String?
}

extension OverseasContractInput {
    /// The new-contract form: a country or occupation typed outside the lists wins over the list;
    /// 422 naming the field when something required is missing or not a number.
    init(form: WebForm) throws {
        let workerID = try form.requiredInteger("worker_id", label: "Mã hồ sơ người lao động")
        let country = try form.text("country_other")?.uppercased() ?? form.required("country", "Hãy chọn nước đến.")
        let occupation = try form.occupation()
        let term = try form.requiredInteger("term_months", label: "Thời hạn hợp đồng")
        let planned = try form.requiredDate("planned_departure", label: "Ngày dự kiến xuất cảnh")
        let enterprise = try form.text("enterprise_id").map { text in
            guard let id = Int64(text) else { throw AppError.invalid(field: "enterprise_id", "Hãy chọn doanh nghiệp trong danh sách.") }
            return id
        }
        self.init(
            workerId: workerID,
            country: country,
            occupationCode: occupation,
            termMonths: Int(clamping: term),
            plannedDeparture: planned,
            enterpriseId: enterprise,
            feeVnd: try form.integer("fee_vnd", label: "Tiền dịch vụ"),
            depositVnd: try form.integer("deposit_vnd", label: "Tiền ký quỹ"),
            loanSource: form.text("loan_source"),
            contractDate: try form.date("contract_date")
        )
    }
}
