import Crypto
import Foundation

/// A bearer secret (staff token or employer API key): shown once, stored only as SHA-256,
/// with a short visible prefix for support.
public struct SecretToken: Sendable {
    /// The whole secret, e.g. `jme_Ab3dEf9h_...`: never stored, never logged.
    public let value: String

    /// `jms_` for staff tokens, `jme_` for employer keys, `jmw_` for web sessions (cookie) and their CSRF tokens.
    public enum Kind: String, Sendable {
        case staff = "jms_"
        case employer = "jme_"
        case session = "jmw_"
    }

    /// A new random secret of 256 bits.
    public static func generate(_ kind: Kind) -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let body = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return SecretToken(value: kind.rawValue + body)
    }

    public init(value: String) {
        self.value = value
    }

    /// The visible part kept for support: kind and first 8 characters.
    public var prefix: String { String(self.value.prefix(12)) }

    /// SHA-256 of the secret: what the database stores and looks up.
    public var hash: [UInt8] { Array(SHA256.hash(data: Data(self.value.utf8))) }

    /// The kind, judged by the prefix.
    public var kind: Kind? {
        if self.value.hasPrefix(Kind.staff.rawValue) { return .staff }
        if self.value.hasPrefix(Kind.employer.rawValue) { return .employer }
        return nil
    }
}
