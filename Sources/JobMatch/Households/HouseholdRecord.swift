/// A household as its page shows it: where it lives (named), its statuses newest first with the
/// one in force today marked, and its members (merged records left out).
struct HouseholdRecord: Sendable {
    /// One status period and whether it is in force today.
    struct Status: Sendable {
        let period: HouseholdStatusPeriod
        let inForce: Bool
    }

    /// A member of the household.
    struct Member: Sendable {
        let workerID: Int64
        let fullName: String
        let birthYear: Int
        let sex: String
        let anonymised: Bool
    }

    let id: Int64
    let headName: String
    /// `Phường Vị Thanh (31321)`.
    let ward: String
    /// The legacy ward with its district, when recorded.
    let legacyWard: String?
    let address: String?
    let householdCode: String?
    let statuses: [Status]
    let members: [Member]
}
