import Foundation

/// One additive part of a candidate's score, with the reason in Vietnamese.
public struct ScorePart: Codable, Equatable, Sendable {
    public let key: String
    public let points: Int
    public let reason: String

    public init(key: String, points: Int, reason: String) {
        self.key = key
        self.points = points
        self.reason = reason
    }
}

extension ScorePart {
    /// Parts as a JSON array of `{"key","points","reason"}` objects, written byte by byte (a batch
    /// writes one per proposal, and `JSONEncoder` took about 10 µs each).
    public static func json(_ parts: [ScorePart]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + parts.count * 96)
        out.append(UInt8(ascii: "["))
        for (index, part) in parts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"key":"#.utf8)
            Self.appendString(part.key, to: &out)
            out.append(contentsOf: #","points":"#.utf8)
            out.append(contentsOf: String(part.points).utf8)
            out.append(contentsOf: #","reason":"#.utf8)
            Self.appendString(part.reason, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped, other UTF-8 as is.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Self.hexDigits
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xf)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
