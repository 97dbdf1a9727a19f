/// One cell of a report, typed so that each file format can write it properly (an ID stays text
/// with its leading zeros, a date is a date).
public enum TableCell: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case date(LocalDate)
    /// A number shown with `places` decimals (percentages of a plan).
    case decimal(Double, places: Int)
    case empty

    /// Text, or empty for nil.
    public static func text(_ value: String?) -> TableCell { value.map { .text($0) } ?? .empty }
    /// An integer, or empty for nil.
    public static func integer(_ value: Int64?) -> TableCell { value.map { .integer($0) } ?? .empty }
}

/// A report file written front to back: one or more sections (sheets in XLSX), each a title, a
/// header and rows. Bytes wait in the writer until `drain()`, so a caller streaming a large
/// report sends them as it goes and memory stays flat.
public protocol TableWriter: AnyObject {
    /// Starts a section named `name` with these column headers.
    func beginSection(_ name: String, header: [String]) throws
    /// A row of the current section.
    func row(_ cells: [TableCell]) throws
    /// Ends the file.
    func finish() throws
    /// How many bytes wait to be drained.
    var pendingCount: Int { get }
    /// Hands over the bytes written so far.
    func drain() -> [UInt8]
}

/// The file formats a report can be downloaded in.
public enum TableFormat: String, Sendable, CaseIterable {
    case csv
    case xlsx

    /// A new writer for this format; `sections` names every section in order (XLSX declares its
    /// sheets first).
    public func writer(sections: [String]) -> any TableWriter {
        switch self {
        case .csv: CSVTableWriter()
        case .xlsx: XLSXWriter(sheets: sections)
        }
    }

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}

/// CSV for Excel (UTF-8 with BOM, CRLF, formula-looking text neutralised); sections follow each
/// other, the second and later after a blank line and a line with their name.
public final class CSVTableWriter: TableWriter {
    private var bytes: [UInt8] = CSVWriter.byteOrderMark
    private var sections = 0
    private let writer = CSVWriter()

    public init() {
        self.bytes.reserveCapacity(1 << 17)
    }

    public func beginSection(_ name: String, header: [String]) throws {
        if self.sections > 0 {
            self.bytes.append(contentsOf: [0x0D, 0x0A])
            self.writer.append([name], to: &self.bytes)
        }
        self.sections += 1
        self.writer.append(header, to: &self.bytes)
    }

    public func row(_ cells: [TableCell]) throws {
        for (index, cell) in cells.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            switch cell {
            case .text(let value): CSVWriter.appendEscaped(value, to: &self.bytes)
            case .integer(let value): self.bytes.append(contentsOf: String(value).utf8)
            case .date(let value): Self.appendDate(value, to: &self.bytes)
            case .decimal(let value, let places): self.bytes.append(contentsOf: DecimalText.format(value, places: places).utf8)
            case .empty: break
            }
        }
        self.bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// dd/mm/yyyy, digit by digit (formatting through Foundation costs more than the whole row).
    static func appendDate(_ date: LocalDate, to out: inout [UInt8]) {
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(date.day, 2)
        out.append(UInt8(ascii: "/"))
        digits(date.month, 2)
        out.append(UInt8(ascii: "/"))
        digits(date.year, 4)
    }

    public func finish() throws {}

    public var pendingCount: Int { self.bytes.count }

    public func drain() -> [UInt8] {
        defer { self.bytes.removeAll(keepingCapacity: true) }
        return self.bytes
    }

    /// A cell as CSV text: dates as dd/mm/yyyy, as clerks read them.
    static func text(_ cell: TableCell) -> String {
        switch cell {
        case .text(let value): value
        case .integer(let value): String(value)
        case .date(let value): value.vietnamese
        case .decimal(let value, let places): DecimalText.format(value, places: places)
        case .empty: ""
        }
    }
}

/// Fixed-point text for a decimal without Foundation's locale-dependent formatting.
enum DecimalText {
    static func format(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + String(scaled) }
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < places { fraction = "0" + fraction }
        return "\(sign)\(whole).\(fraction)"
    }
}
