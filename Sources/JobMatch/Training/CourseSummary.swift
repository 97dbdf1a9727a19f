/// A course on the list: its facts and how many seats are taken (enrolments not dropped).
struct CourseSummary: Sendable {
    let id: Int64
    let title: String
    let occupationCode: String
    let occupationTitle: String
    let level: String
    let startDate: String
    let endDate: String
    let seats: Int
    let enrolled: Int
}
