import Hummingbird
import JobMatchCore

/// A vacancy's ranked candidates (`GET /vacancies/{id}/candidates`), each with its score's parts.
struct CandidateList: ResponseCodable {
    /// One eligible worker, in ranking order.
    struct Candidate: Codable {
        let workerId: Int64
        let fullName: String
        let householdStatus: String
        let distanceKm: Double?
        let score: Int
        let scoreParts: [ScorePart]
    }

    let vacancyId: Int64
    let candidates: [Candidate]
}
