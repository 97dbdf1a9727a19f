import Hummingbird

/// A skill of the catalogue (its name in Vietnamese).
struct Skill: ResponseCodable, Sendable {
    let id: Int64
    let name: String
}
