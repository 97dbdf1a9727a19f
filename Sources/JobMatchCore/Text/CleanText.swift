import Foundation

/// Cleans free text typed by a clerk: Unicode NFC, trimmed, inner runs of spaces collapsed.
public enum CleanText {
    /// NFC-normalised, trimmed, single-spaced text.
    public static func normalize(_ text: String) -> String {
        let nfc = text.precomposedStringWithCanonicalMapping
        let words = nfc.split(whereSeparator: { $0.isWhitespace })
        return words.joined(separator: " ")
    }

    /// A required name-like field: normalised and 1...maxLength characters.
    public static func required(_ text: String?, field: String, label: String, maxLength: Int = 150) throws(FieldError) -> String {
        let value = text.map(normalize) ?? ""
        guard !value.isEmpty else { throw FieldError(field: field, message: "\(label) không được để trống.") }
        guard value.count <= maxLength else {
            throw FieldError(field: field, message: "\(label) dài quá \(maxLength) ký tự.")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FieldError(field: field, message: "\(label) chứa ký tự không hợp lệ.")
        }
        return value
    }

    /// An optional field: nil or empty stays nil; otherwise as `required`.
    public static func optional(_ text: String?, field: String, label: String, maxLength: Int) throws(FieldError) -> String? {
        guard let text, !normalize(text).isEmpty else { return nil }
        return try required(text, field: field, label: label, maxLength: maxLength)
    }
}
