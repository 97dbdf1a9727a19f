/// One vacancy as staff see it, across employers: its facts and its employer, and (when asked)
/// its referrals, newest first.
struct VacancyDetail: Sendable {
    /// One referral to the vacancy.
    struct Referral: Sendable {
        let id: Int64
        let workerID: Int64
        let workerName: String
        let status: String
        let score: Int
        /// dd/mm/yyyy, Vietnam time.
        let updated: String
    }

    let id: Int64
    let title: String
    let description: String
    let employerID: Int64
    let employer: String
    let occupationCode: String
    let wardName: String
    let slots: Int
    let slotsFilled: Int
    let wageMin: Int64?
    let wageMax: Int64?
    let minAge: Int?
    let maxAge: Int?
    let closingDate: String
    let status: String
    let reference: String
    var referrals: [Referral] = []
}
