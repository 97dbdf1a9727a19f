/// A worker's record as a client states it: the body of `POST /workers`, the stored record a
/// `PATCH` is laid over, and what the register and edit pages read from their form.
struct WorkerInput: Codable, Sendable {
    var fullName: String?
    var cccd: String?
    /// The old 9-digit identity card number, as a secondary identifier.
    var cmnd: String?
    var birthDate: String
    var sex: String
    var wardCode: String?
    var legacyWardCode: String?
    var householdId: Int64?
    var occupationCodes: [String]?
    var phone: String?
    var ethnicity: String?
    var disabilityType: String?
    var disabilitySeverity: String?
    var maxCommuteKm: Int?
    var willingAbroad: Bool?
    var educationLevel: String?
    var qualification: String?
    var major: String?
    var currentJob: String?
    var unemployedSince: String?
    /// Where the worker would work: 2025 ward codes and legacy district codes.
    var preferredWardCodes: [String]?
    var preferredLegacyDistrictCodes: [String]?
    /// Purposes the worker consented to now, e.g. `["referral"]` (registration only).
    var consents: [String]?
    var consentMeans: String?
    /// `seeking` (default), `employed` or `not_seeking`.
    var jobSeekingStatus: String?
}
