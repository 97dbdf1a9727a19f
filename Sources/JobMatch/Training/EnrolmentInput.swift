/// A worker enrolled in a course: the body of `POST /enrolments`.
struct EnrolmentInput: Decodable, Sendable {
    var courseId: Int64
    var workerId: Int64
}
