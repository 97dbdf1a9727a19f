import Hummingbird

/// What staff see of a worker; CCCD and phone are masked for viewers.
struct WorkerView: ResponseCodable, Sendable {
    let id: Int64
    let fullName: String
    var cccd: String?
    var cmnd: String?
    let birthDate: String
    let sex: String
    let ethnicity: String?
    let disabilityType: String?
    let disabilitySeverity: String?
    var phone: String?
    let wardCode: String
    let wardName: String
    let legacyWardCode: String?
    let householdId: Int64?
    /// The household's status today.
    let householdStatus: String
    let educationLevel: String?
    let qualification: String?
    let major: String?
    let currentJob: String?
    let unemployedSince: String?
    let jobSeekingStatus: String
    let maxCommuteKm: Int?
    let willingAbroad: Bool
    let occupationCodes: [String]
    let preferredWardCodes: [String]
    let preferredLegacyDistrictCodes: [String]
    /// Set when this record was merged into another: use that one.
    let mergedInto: Int64?
    let anonymised: Bool
}
