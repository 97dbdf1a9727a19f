/// A problem with one cell (or a whole row) of an imported file, for the clerk to fix.
public struct ImportError: Sendable, Equatable, Codable {
    public let line: Int
    public let column: String
    public let message: String

    public init(line: Int, column: String, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
