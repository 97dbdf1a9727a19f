/// A course as its page shows it: the facts, and each learner with the state of the enrolment,
/// the certificate and the training support granted.
struct CourseDetails: Sendable {
    /// One learner of the course.
    struct Learner: Sendable {
        let enrolmentID: Int64
        let workerID: Int64
        let fullName: String
        let status: String
        let certificateNumber: String?
        let completedOn: String?
        /// The support granted for this enrolment, if any.
        let supportAmountVND: Int64?
        let supportBasis: String?
        let supportDecidedOn: String?
        /// Whether the person has had a training support at all (for this enrolment or another).
        let everSupported: Bool
    }

    let id: Int64
    let title: String
    let occupationCode: String
    let occupationTitle: String
    let level: String
    let startDate: String
    let endDate: String
    let seats: Int
    let fundingSource: String?
    /// The day it was entered, `dd/mm/yyyy` in Vietnam.
    let createdOn: String
    let learners: [Learner]
}
