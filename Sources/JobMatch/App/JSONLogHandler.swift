import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One JSON object per line on stderr: time, level, label, message and metadata, keys sorted.
/// Callers never put a CCCD, phone number or birth date in a message or metadata.
///
/// Every request writes a line, so the line is built by hand into one byte buffer (no
/// `JSONSerialization`, no date formatter) and leaves in a single `write(2)`, which also keeps
/// lines from concurrent requests whole.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [
            "time": Self.timestamp(), "level": "\(event.level)", "label": self.label, "message": "\(event.message)",
        ]
        for (key, value) in self.metadata {
            object[key] = "\(value)"
        }
        for (key, value) in event.metadata ?? [:] {
            object[key] = "\(value)"
        }
        Self.writeToStandardError(Self.line(object))
    }

    /// One log line: the object with its keys sorted, and a newline.
    static func line(_ object: [String: String]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(UInt8(ascii: "{"))
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendString(object[key]!, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        line.append(0x0A)
        return line
    }

    /// The current time as ISO 8601 in UTC, whole seconds (`2026-12-06T16:09:37Z`).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendString(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                line.append(contentsOf: Array("\\u00".utf8))
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0F)])
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    /// Writes the whole line, continuing after a partial write or an interrupted call.
    static func writeToStandardError(_ line: [UInt8]) {
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
