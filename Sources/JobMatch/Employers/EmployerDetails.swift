/// An employer as its page shows it: the facts, its latest vacancies and its webhooks (never their secrets).
struct EmployerDetails: Sendable {
    /// One of the employer's vacancies.
    struct Vacancy: Sendable {
        let id: Int64
        let title: String
        let occupationCode: String
        let slots: Int
        let slotsFilled: Int
        let closingDate: String
        let status: String
    }

    /// One of the employer's webhooks.
    struct Webhook: Sendable {
        let id: Int64
        let url: String
        let active: Bool
        /// When it was registered, `dd/mm/yyyy hh:mm` in Vietnam.
        let since: String
    }

    let id: Int64
    let name: String
    let taxCode: String
    let wardName: String
    let provinceName: String
    let sector: String?
    let contactName: String?
    let contactPhone: String?
    let contactEmail: String?
    /// The day it was registered, `dd/mm/yyyy` in Vietnam.
    let createdOn: String
    /// The newest 100.
    let vacancies: [Vacancy]
    /// Active first, at most 50.
    let webhooks: [Webhook]
}
