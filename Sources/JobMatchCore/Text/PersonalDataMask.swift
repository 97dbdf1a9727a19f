/// Masks for identifiers shown in lists: enough to recognise a person, not enough to misuse.
public enum PersonalDataMask {
    /// `0912345678` -> `0912****78`.
    public static func phone(_ phone: String) -> String {
        guard phone.count > 6 else { return String(repeating: "*", count: phone.count) }
        return phone.prefix(4) + String(repeating: "*", count: phone.count - 6) + phone.suffix(2)
    }
}
