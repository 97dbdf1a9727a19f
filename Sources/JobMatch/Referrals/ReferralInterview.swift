/// `POST /referrals/{id}/interview` body, and the referral page's interview form.
struct ReferralInterview: Decodable, Sendable {
    let interviewedOn: String
    let outcome: String
    let note: String?
}

extension ReferralInterview {
    /// The form's day is typed as dd/mm/yyyy; an empty outcome is refused by the service, naming it.
    init(form: WebForm) throws {
        self.init(
            interviewedOn: try WebDates.iso(form.text("interviewed_on"), field: "interviewed_on") ?? "",
            outcome: form.text("outcome") ?? "",
            note: form.text("note")
        )
    }
}
