/// Writes CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends,
/// RFC 4180 quoting, and cells that could run as a formula neutralised. Works on bytes: an
/// export writes hundreds of thousands of rows.
public struct CSVWriter: Sendable {
    /// The UTF-8 byte-order mark Excel needs to read Vietnamese correctly.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init() {}

    /// One row, CRLF-terminated, as UTF-8 bytes.
    public func row(_ cells: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(cells.count * 16)
        self.append(cells, to: &out)
        return out
    }

    /// Appends one row, CRLF-terminated.
    public func append(_ cells: [String], to out: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendEscaped(cell, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// A cell starting with `= + - @` (or a tab / carriage return) gets a leading apostrophe so
    /// a spreadsheet shows it as text instead of evaluating it; then RFC 4180 quoting.
    public static func escape(_ cell: String) -> String {
        var out: [UInt8] = []
        self.appendEscaped(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `escape`, appended to `out`.
    public static func appendEscaped(_ cell: String, to out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { Self.appendEscaped(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// `escape` for a cell given as its UTF-8 bytes (a caller writing rows straight from a database's bytes).
    public static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let first = bytes.first else { return }
        let formula =
            first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
        let quote = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if quote { out.append(UInt8(ascii: "\"")) }
        if formula { out.append(UInt8(ascii: "'")) }
        if quote {
            for byte in bytes {
                out.append(byte)
                if byte == UInt8(ascii: "\"") { out.append(byte) }
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: bytes)
        }
    }
}
