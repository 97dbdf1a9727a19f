import Hummingbird

/// `GET /households/{id}/status?as_of=` answer: the status in force on a day (`none` when none was recorded).
struct HouseholdStatusAsOf: ResponseCodable, Sendable {
    let householdId: Int64
    let asOf: String
    let status: String
    let recorded: Bool
    let period: HouseholdStatusPeriod?
}
