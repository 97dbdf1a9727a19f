import JobMatchCore

/// `POST /targets` body: a new target of the plan (a yearly roadmap's year, a ward's target...).
struct TargetInput: Decodable {
    /// Where the target counts; none: the whole home territory.
    struct Territory: Decodable {
        let legacyProvinceCodes: [String]?
        let wardCodes: [String]?
    }

    let key: String?
    let indicator: String?
    let periodStart: String?
    let periodEnd: String?
    let value: Double?
    let basis: String?
    let title: String?
    let territory: Territory?
}
