/// A rejected input value: the field it came from and a message a clerk understands (Vietnamese).
public struct FieldError: Error, Equatable, Sendable {
    /// The request field, in the API's snake_case spelling.
    public let field: String
    /// What is wrong, in Vietnamese.
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
