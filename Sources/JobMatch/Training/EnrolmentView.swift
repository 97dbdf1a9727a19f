import Hummingbird

/// An enrolment's state after a change.
struct EnrolmentView: ResponseCodable, Sendable {
    let id: Int64
    let status: String
    let certificateNumber: String?
    let completedOn: String?
}
