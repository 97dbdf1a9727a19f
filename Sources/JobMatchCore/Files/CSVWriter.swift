/// Writes CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends,
/// RFC 4180 quoting, and cells that could run as a formula neutralised.
public struct CSVWriter: Sendable {
    /// The UTF-8 byte-order mark Excel needs to read Vietnamese correctly.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init() {}

    /// One row, CRLF-terminated, as UTF-8 bytes.
    public func row(_ cells: [String]) -> [UInt8] {
        Array((cells.map(Self.escape).joined(separator: ",") + "\r\n").utf8)
    }

    /// A cell starting with `= + - @` (or a tab / carriage return) gets a leading apostrophe so
    /// a spreadsheet shows it as text instead of evaluating it; then RFC 4180 quoting.
    public static func escape(_ cell: String) -> String {
        var value = cell
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        self.split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
