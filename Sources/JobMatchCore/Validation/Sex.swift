/// Sex as recorded on the citizen ID.
public enum Sex: String, Sendable, Codable, CaseIterable {
    case male
    case female

    public var vietnamese: String { self == .male ? "Nam" : "Nữ" }
}
