/// A licensed enterprise on the abroad list, with how many contracts went through it.
struct OverseasEnterpriseSummary: Sendable {
    let id: Int64
    let name: String
    let licenceNumber: String
    let licenceValidFrom: String
    let licenceValidTo: String?
    let contracts: Int
}
