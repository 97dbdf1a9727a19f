import Hummingbird

/// Everything held about one worker, for an access request (Law 91/2025).
struct PersonalDataCopy: ResponseCodable, Sendable {
    let worker: [String: String?]
    let occupations: [String]
    let consents: [[String: String?]]
    let enrolments: [[String: String?]]
    let referrals: [[String: String?]]
    let placements: [[String: String?]]
    let overseasContracts: [[String: String?]]
    /// The text messages queued or sent to them, with the phone each went to.
    let messages: [[String: String?]]
}
