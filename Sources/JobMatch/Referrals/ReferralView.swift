import Hummingbird
import JobMatchCore

/// A referral with its score as it was when referred and every step taken (`GET /referrals/{id}`).
struct ReferralView: ResponseCodable {
    /// One step: from which status to which, who took it, and when (Vietnam time).
    struct Event: Codable {
        let fromStatus: String?
        let toStatus: String
        let actorKind: String
        let actorId: Int64?
        let note: String?
        let at: String
    }

    let id: Int64
    let vacancyId: Int64
    let workerId: Int64
    let status: String
    let score: Int
    let scoreParts: [ScorePart]
    let placementId: Int64?
    let events: [Event]
}
