import Hummingbird

/// A consent a worker gave, and its withdrawal if any (consents are never deleted). Moments are
/// ISO 8601 in Vietnam's time (`2026-03-01T09:00:00+07:00`).
struct WorkerConsent: ResponseCodable, Sendable {
    let id: Int64
    let purpose: String
    let means: String
    let givenAt: String
    let withdrawnAt: String?
    let withdrawalMeans: String?
}
