import Crypto
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The keys that seal webhook signing secrets at rest (AES-256-GCM): the current key seals, the
/// current and the old ones open. A key's id is the first 16 hex digits of its SHA-256, stored with
/// each sealed secret, so that after a rotation every row says which key opens it.
/// Keys come from `WEBHOOK_SECRET_KEY` (base64 of 32 bytes), else `WEBHOOK_SECRET_KEY_FILE`, else
/// the file `webhook-secret.key` in the service's home, made (mode 0600) on first start;
/// `WEBHOOK_SECRET_OLD_KEYS` (comma-separated, base64) are kept for opening during a rotation.
public struct WebhookSecretKeyring: Sendable {
    /// Seals new secrets.
    public let current: SymmetricKey
    public let currentID: String
    /// Every key that may open, by id (the current one included).
    let keys: [String: SymmetricKey]

    public init(current: SymmetricKey, old: [SymmetricKey] = []) {
        self.current = current
        self.currentID = Self.id(of: current)
        var keys: [String: SymmetricKey] = [:]
        for key in old { keys[Self.id(of: key)] = key }
        keys[self.currentID] = current
        self.keys = keys
    }

    /// The key's id: 16 hex digits of its SHA-256 (names the key, reveals nothing of it).
    static func id(of key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A key from its base64 text (32 bytes); nil when it is not one.
    public static func key(base64 text: String) -> SymmetricKey? {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
        return SymmetricKey(data: data)
    }

    /// A sealed secret: which key, and nonce || ciphertext || tag.
    struct Sealed: Sendable {
        let keyID: String
        let bytes: [UInt8]
    }

    func seal(_ secret: String) throws -> Sealed {
        let box = try AES.GCM.seal(Data(secret.utf8), using: self.current)
        guard let combined = box.combined else { throw WebhookSecretError.unsealable }
        return Sealed(keyID: self.currentID, bytes: Array(combined))
    }

    /// The secret, if one of the keys opens it.
    func open(_ sealed: Sealed) throws -> String {
        guard let key = self.keys[sealed.keyID] else { throw WebhookSecretError.unknownKey(sealed.keyID) }
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: Data(sealed.bytes)), using: key)
        return String(decoding: plain, as: UTF8.self)
    }

    /// The keyring the configuration names; without a key, the home's key file, made on first use.
    public static func load(_ config: AppConfig, logger: Logger) throws -> WebhookSecretKeyring {
        var old: [SymmetricKey] = []
        for text in config.webhookSecretOldKeys where !text.isEmpty {
            guard let key = Self.key(base64: text) else { throw WebhookSecretError.badKey("WEBHOOK_SECRET_OLD_KEYS") }
            old.append(key)
        }
        if let text = config.webhookSecretKey {
            guard let key = Self.key(base64: text) else { throw WebhookSecretError.badKey("WEBHOOK_SECRET_KEY") }
            return WebhookSecretKeyring(current: key, old: old)
        }
        let path = config.webhookSecretKeyFile ?? (config.home + "/webhook-secret.key")
        if let contents = FileManager.default.contents(atPath: path) {
            guard let key = Self.key(base64: String(decoding: contents, as: UTF8.self)) else { throw WebhookSecretError.badKey(path) }
            return WebhookSecretKeyring(current: key, old: old)
        }
        guard config.webhookSecretKeyFile == nil else { throw WebhookSecretError.badKey(path) }
        let key = SymmetricKey(size: .bits256)
        try Self.create(path, contents: key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n")
        logger.notice(
            "Made a new key for webhook signing secrets; back it up with the data, or set WEBHOOK_SECRET_KEY",
            metadata: ["file": "\(path)"]
        )
        return WebhookSecretKeyring(current: key, old: old)
    }

    /// Writes a new file readable by its owner only (never replacing one).
    private static func create(_ path: String, contents: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw WebhookSecretError.badKey(path) }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw WebhookSecretError.badKey(path) }
    }
}
