/// The verification code printed on a referral letter: 10 characters of Crockford's base32
/// (digits and capitals without I, L, O and U), 50 random bits. Read case-insensitively, with
/// spaces and dashes ignored and the look-alikes O -> 0, I and L -> 1 taken as Crockford reads them.
public struct LetterCode: Sendable, Hashable, CustomStringConvertible {
    /// Crockford's alphabet, in value order.
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 10

    /// The 10 characters, upper case.
    public let value: String

    /// The code in `text` as typed or scanned, or nil when it is not one.
    public init?(_ text: String) {
        guard text.count <= 40 else { return nil }
        var characters: [Character] = []
        for character in text.uppercased() {
            switch character {
            case " ", "-", "\t", "\n", "\r", "\u{00A0}": continue
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            case let other where Self.alphabet.contains(other): characters.append(other)
            default: return nil
            }
        }
        guard characters.count == Self.length else { return nil }
        self.value = String(characters)
    }

    /// The code as printed: two groups of five, `ABCDE-12345`.
    public var grouped: String { String(self.value.prefix(5)) + "-" + String(self.value.suffix(5)) }

    public var description: String { self.value }
}
