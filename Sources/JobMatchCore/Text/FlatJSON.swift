import Foundation

/// A flat object of strings as JSON text, keys sorted, written by hand: it runs on every write
/// (audit entries, stored idempotent responses), and Foundation's serializer is slow on Linux.
public enum FlatJSON {
    public static func encode(_ object: [String: String]) -> String {
        var text = "{"
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            Self.appendString(key, to: &text)
            text += ":"
            Self.appendString(object[key]!, to: &text)
        }
        return text + "}"
    }

    private static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
