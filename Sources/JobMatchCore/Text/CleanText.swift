import Foundation

/// Cleans free text typed by a clerk: Unicode NFC, trimmed, inner runs of spaces collapsed.
public enum CleanText {
    /// NFC-normalised, trimmed, single-spaced text.
    public static func normalize(_ text: String) -> String {
        if isAlreadyClean(text) { return text }
        let nfc = text.precomposedStringWithCanonicalMapping
        let words = nfc.split(whereSeparator: { $0.isWhitespace })
        return words.joined(separator: " ")
    }

    /// True when `text` is surely NFC and single-spaced already: only code points below U+0300 or
    /// precomposed Latin letters (U+1E00-U+1EFF, where Vietnamese lives), which are all stable
    /// under NFC, and no space at either end or twice in a row. Most cells of a file take this path.
    static func isAlreadyClean(_ text: String) -> Bool {
        var previousWasSpace = true
        var any = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            any = true
            if value == 0x20 {
                if previousWasSpace { return false }
                previousWasSpace = true
                continue
            }
            previousWasSpace = false
            switch value {
            case 0x21...0x7E: continue
            case 0xA1...0x2FF, 0x1E00...0x1EFF: continue
            default: return false
            }
        }
        return !any || !previousWasSpace
    }

    /// A required name-like field: normalised and 1...maxLength characters.
    public static func required(_ text: String?, field: String, label: String, maxLength: Int = 150) throws(FieldError) -> String {
        let value = text.map(normalize) ?? ""
        guard !value.isEmpty else { throw FieldError(field: field, message: "\(label) không được để trống.") }
        guard value.count <= maxLength else {
            throw FieldError(field: field, message: "\(label) dài quá \(maxLength) ký tự.")
        }
        guard !value.unicodeScalars.contains(where: { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }) else {
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
