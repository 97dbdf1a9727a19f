import Hummingbird

/// `GET /registry/summary` answer: registered workers by 2025 ward or legacy district.
struct RegistrySummary: ResponseCodable, Sendable {
    /// How the workers are grouped.
    enum Grouping: String, CaseIterable, Sendable {
        case ward
        case legacyDistrict = "legacy_district"
    }

    /// One ward or district.
    struct Group: ResponseCodable, Sendable {
        /// The ward or district code; nil for workers whose legacy district cannot be told (their
        /// 2025 ward took in wards of several districts and no legacy ward was recorded).
        let code: String?
        let name: String
        let workers: Int
        let seeking: Int
        let byHouseholdStatus: [String: Int]
    }

    let by: String
    let asOf: String
    let total: Int
    let groups: [Group]
}
