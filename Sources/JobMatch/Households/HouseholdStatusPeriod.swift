/// A status period as returned to staff.
struct HouseholdStatusPeriod: Codable, Sendable {
    let status: String
    let validFrom: String
    let validTo: String?
    let standard: String
    let decisionRef: String?
}
