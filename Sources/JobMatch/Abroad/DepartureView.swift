import Hummingbird

/// A contract after departure, with the placement it created.
struct DepartureView: ResponseCodable, Sendable {
    let id: Int64
    let departureDate: String
    let placementId: Int64
}
