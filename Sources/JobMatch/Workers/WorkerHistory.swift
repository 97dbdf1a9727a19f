/// What surrounds a worker's record on its page: occupations with their titles, the household and
/// its status history, consents, enrolments, referrals and placements (ledger rows, reversals marked).
struct WorkerHistory: Sendable {
    /// An occupation code and the catalogue's (English) title.
    struct Occupation: Sendable {
        let code: String
        let title: String
    }

    /// One period of the household's status; `validTo` nil while it lasts.
    struct HouseholdStatusPeriod: Sendable {
        let status: String
        let validFrom: String
        let validTo: String?
        let standard: String
        let decisionRef: String?
    }

    /// The worker's household, newest status first.
    struct Household: Sendable {
        let id: Int64
        let headName: String?
        let code: String?
        let statuses: [HouseholdStatusPeriod]
    }

    /// A course the worker enrolled in.
    struct Enrolment: Sendable {
        let courseID: Int64
        let title: String
        let startDate: String
        let endDate: String
        let status: String
        let certificateNumber: String?
    }

    /// A referral to a vacancy, as it stands.
    struct Referral: Sendable {
        let id: Int64
        let vacancyID: Int64
        let vacancyTitle: String
        let employerName: String
        let status: String
        /// The day of the last change, `dd/mm/yyyy` in Vietnam.
        let updatedOn: String
    }

    /// A row of the placement ledger.
    struct Placement: Sendable {
        let id: Int64
        let channel: String
        let startDate: String
        let employerName: String?
        let destinationCountry: String?
        /// `placements.contract_type` (nil: not recorded) and a fixed term's end.
        let contractType: String?
        let contractEndDate: String?
        let isReversal: Bool
        let isReversed: Bool
    }

    var occupations: [Occupation] = []
    var household: Household?
    /// Oldest first, as the API lists them.
    var consents: [WorkerConsent] = []
    var enrolments: [Enrolment] = []
    /// The 50 most recently changed.
    var referrals: [Referral] = []
    var placements: [Placement] = []
}
