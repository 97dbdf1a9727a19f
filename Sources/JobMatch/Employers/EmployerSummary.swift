/// An employer on the list, with how many of its vacancies are open today.
struct EmployerSummary: Sendable {
    let id: Int64
    let name: String
    let taxCode: String
    let wardName: String
    let openVacancies: Int
}
