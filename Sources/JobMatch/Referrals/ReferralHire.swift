/// `POST /referrals/{id}/hire` body, and the referral page's hire form.
struct ReferralHire: Decodable, Sendable {
    let startDate: String
    let wageVnd: Int64?
}

extension ReferralHire {
    /// The form's day is typed as dd/mm/yyyy, the wage with or without thousands separators.
    init(form: WebForm) throws {
        self.init(startDate: try WebDates.iso(form.text("start_date"), field: "start_date") ?? "", wageVnd: try form.wholeNumber("wage_vnd"))
    }
}
