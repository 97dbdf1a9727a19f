import Crypto
import Foundation
import Glibc
import Logging

/// Why a webhook secret could not be sealed or opened.
enum WebhookSecretError: Error, CustomStringConvertible {
    case badKey(String)
    case unknownKey(String)
    case unsealable

    var description: String {
        switch self {
        case .badKey(let source): "webhook secret key unusable (\(source)): expected the base64 of 32 bytes, e.g. `openssl rand -base64 32`"
        case .unknownKey(let id): "a webhook secret is sealed with key \(id), which is neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_OLD_KEYS"
        case .unsealable: "the webhook secret could not be sealed"
        }
    }
}
