import Hummingbird

/// A newly issued employer API key: shown once.
struct IssuedKey: ResponseCodable, Sendable {
    let employerId: Int64
    let apiKey: String
    let prefix: String
}
