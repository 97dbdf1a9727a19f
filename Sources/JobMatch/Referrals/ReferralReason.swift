import JobMatchCore

/// `POST /referrals/{id}/reject` and `/withdraw` body (also a placement's reversal), and the
/// referral page's reject and withdraw forms.
struct ReferralReason: Decodable, Sendable {
    let reason: String
}

extension ReferralReason {
    /// The form's reason; `otherwise` when the form may leave it empty (a withdrawal).
    init(form: WebForm, otherwise: String = "") {
        self.init(reason: form.text("reason") ?? otherwise)
    }
}

extension ReferralReason {
    /// The reason, NFC and trimmed; required, at most 1,000 characters.
    func checked() throws -> String {
        try CleanText.required(self.reason, field: "reason", label: "Lý do", maxLength: 1000)
    }
}
