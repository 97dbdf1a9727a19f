import Hummingbird

/// The answer to a create: the new record's id.
struct CreatedID: ResponseCodable {
    let id: Int64
}
