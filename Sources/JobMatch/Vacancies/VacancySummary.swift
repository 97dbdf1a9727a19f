/// A line of the staff's vacancy list: the vacancy, its employer and how many were referred.
struct VacancySummary: Sendable {
    let id: Int64
    let title: String
    let employer: String
    let occupationCode: String
    let wardName: String
    let slots: Int
    let slotsFilled: Int
    let closingDate: String
    let status: String
    /// Referrals beyond proposals.
    let referred: Int64
}
