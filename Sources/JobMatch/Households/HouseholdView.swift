import Hummingbird

/// `GET /households/{id}` answer: the household and its statuses, oldest first.
struct HouseholdView: ResponseCodable, Sendable {
    let id: Int64
    let headName: String
    let wardCode: String
    let legacyWardCode: String?
    let currentStatus: String?
    let statuses: [HouseholdStatusPeriod]
}
