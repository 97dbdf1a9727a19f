/// One probable pair of records of one person; the reason in the clerk's words.
struct DuplicatePair: Codable, Sendable {
    let firstId: Int64
    let secondId: Int64
    let firstName: String
    let secondName: String
    let reason: String
}
