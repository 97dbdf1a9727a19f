/// `POST /referrals/{id}/hire` body, and the referral page's hire form.
struct ReferralHire: Decodable, Sendable {
    let startDate: String
    let wageVnd: Int64?
    /// Optional on a hire (the employer API does not ask it): when given, checked as on any
    /// placement (`ContractType.checked`); left out, the hire's contract is not recorded.
    var contractType: String? = nil
    var contractEndDate: String? = nil
}

extension ReferralHire {
    /// The form's day is typed as dd/mm/yyyy, the wage with or without thousands separators.
    init(form: WebForm) throws {
        self.init(
            startDate: try WebDates.iso(form.text("start_date"), field: "start_date") ?? "",
            wageVnd: try form.wholeNumber("wage_vnd"),
            contractType: form.text("contract_type"),
            contractEndDate: try WebDates.iso(form.text("contract_end_date"), field: "contract_end_date")
        )
    }
}
