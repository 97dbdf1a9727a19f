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

    /// A row whose bytes `body` appends itself, cells separated by commas and escaped with
    /// `CSVWriter.appendEscaped` (dates dd/mm/yyyy), for a caller writing straight from a database's
    /// bytes; the line end is added here.
    public func rawRow(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&self.bytes)
        self.bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// dd/mm/yyyy, digit by digit (formatting through Foundation costs more than the whole row).
    public static func appendDate(_ date: LocalDate, to out: inout [UInt8]) {
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
