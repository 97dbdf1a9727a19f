/// Writes an XLSX workbook (SpreadsheetML in a ZIP) row by row in constant memory: every text
/// cell is an inline string (so IDs keep their leading zeros and nothing can run as a formula),
/// dates are date serials with a dd/mm/yyyy format, the header row is bold and frozen.
public final class XLSXWriter: TableWriter {
    private let zip: ZipStreamWriter
    private let sheets: [String]
    private var sheetIndex = 0
    private var rowNumber = 0
    private var xml: [UInt8] = []
    private var columnLetters: [[UInt8]] = []

    /// `sheets`: the sheet names, in order (Excel allows 31 characters and no `[]:*?/\`).
    public init(sheets: [String], level: Int32 = 1) {
        self.zip = ZipStreamWriter(level: level)
        self.sheets = sheets.map(Self.sheetName)
        self.xml.reserveCapacity(1 << 17)
        do {
            try self.writePackageParts()
        } catch {
            preconditionFailure("the package parts are small: \(error)")
        }
    }

    public func beginSection(_ name: String, header: [String]) throws {
        if self.sheetIndex > 0 { try self.endSheet() }
        precondition(self.sheetIndex < self.sheets.count, "more sections than sheets declared")
        self.sheetIndex += 1
        self.rowNumber = 0
        try self.zip.beginEntry("xl/worksheets/sheet\(self.sheetIndex).xml")
        self.columnLetters = (0..<max(header.count, 1)).map { Array(Self.column($0).utf8) }
        var head = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            </sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>
            """
        for (index, title) in header.enumerated() {
            let width = min(60, max(8, title.count + 4))
            head += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        head += "</cols><sheetData>"
        self.xml.append(contentsOf: head.utf8)
        self.appendRow(header.map { .text($0) }, style: Self.boldStyle)
    }

    public func row(_ cells: [TableCell]) throws {
        self.appendRow(cells, style: nil)
        if self.xml.count >= 1 << 16 {
            try self.zip.write(self.xml)
            self.xml.removeAll(keepingCapacity: true)
        }
    }

    public func finish() throws {
        if self.sheetIndex > 0 { try self.endSheet() }
        // A sheet declared but never written still has to exist.
        while self.sheetIndex < self.sheets.count {
            self.sheetIndex += 1
            try self.zip.beginEntry("xl/worksheets/sheet\(self.sheetIndex).xml")
            try self.zip.write(Self.emptySheet)
        }
        try self.zip.finish()
    }

    public var pendingCount: Int { self.zip.pending.count }

    public func drain() -> [UInt8] { self.zip.drain() }

    // MARK: Cells

    /// Style 2 in styles.xml (1 is dates, 3 two decimals: written inline below).
    private static let boldStyle = 2

    private func appendRow(_ cells: [TableCell], style: Int?) {
        self.rowNumber += 1
        let number = String(self.rowNumber)
        self.xml.append(contentsOf: "<row r=\"".utf8)
        self.xml.append(contentsOf: number.utf8)
        self.xml.append(contentsOf: "\">".utf8)
        for (index, cell) in cells.enumerated() {
            if case .empty = cell { continue }
            if index >= self.columnLetters.count { self.columnLetters.append(Array(Self.column(index).utf8)) }
            self.xml.append(contentsOf: "<c r=\"".utf8)
            self.xml.append(contentsOf: self.columnLetters[index])
            self.xml.append(contentsOf: number.utf8)
            switch cell {
            case .empty:
                break
            case .text(let value):
                self.xml.append(contentsOf: "\" t=\"inlineStr\"".utf8)
                if let style { self.xml.append(contentsOf: " s=\"\(style)\"".utf8) }
                self.xml.append(contentsOf: "><is><t xml:space=\"preserve\">".utf8)
                Self.appendEscaped(value, to: &self.xml)
                self.xml.append(contentsOf: "</t></is></c>".utf8)
            case .integer(let value):
                self.xml.append(contentsOf: "\"><v>".utf8)
                self.xml.append(contentsOf: String(value).utf8)
                self.xml.append(contentsOf: "</v></c>".utf8)
            case .date(let value):
                self.xml.append(contentsOf: "\" s=\"1\"><v>".utf8)
                self.xml.append(contentsOf: String(value.daysSinceEpoch + 25569).utf8)
                self.xml.append(contentsOf: "</v></c>".utf8)
            case .decimal(let value, let places):
                self.xml.append(contentsOf: "\" s=\"3\"><v>".utf8)
                self.xml.append(contentsOf: DecimalText.format(value, places: places).utf8)
                self.xml.append(contentsOf: "</v></c>".utf8)
            }
        }
        self.xml.append(contentsOf: "</row>".utf8)
    }

    private func endSheet() throws {
        self.xml += Self.printSetup
        try self.zip.write(self.xml)
        self.xml.removeAll(keepingCapacity: true)
        try self.zip.endEntry()
    }

    /// XML text escaping; characters XML 1.0 cannot hold (controls other than tab and line ends)
    /// are dropped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: out.append(byte)
            case 0..<0x20: continue
            default: out.append(byte)
            }
        }
    }

    /// Column letters for a zero-based index: A ... Z, AA ...
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// A sheet name Excel accepts: forbidden characters replaced, at most 31 characters.
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet" : cleaned
    }

    // MARK: Package parts

    /// The end of a sheet: printed on A4 landscape, as wide as one page, as long as it needs.
    private static let printSetup = Array(
        """
        </sheetData><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>\
        <pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>
        """.utf8
    )

    private static let emptySheet = Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>
        """.utf8
    )

    private func writePackageParts() throws {
        let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
        var types =
            xmlHead + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
                """
        for index in self.sheets.indices {
            types +=
                "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        types += "</Types>"
        try self.part("[Content_Types].xml", types)
        try self.part(
            "_rels/.rels",
            xmlHead + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
                Target="xl/workbook.xml"/></Relationships>
                """
        )
        var workbook =
            xmlHead + """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
                """
        var relationships = xmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (index, name) in self.sheets.enumerated() {
            var escaped: [UInt8] = []
            Self.appendEscaped(name, to: &escaped)
            workbook += "<sheet name=\"\(String(decoding: escaped, as: UTF8.self))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            relationships +=
                "<Relationship Id=\"rId\(index + 1)\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        relationships +=
            "<Relationship Id=\"rId\(self.sheets.count + 1)\" "
            + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
        try self.part("xl/workbook.xml", workbook)
        try self.part("xl/_rels/workbook.xml.rels", relationships)
        // Styles: 0 general, 1 date dd/mm/yyyy, 2 bold (headers), 3 two decimals.
        try self.part(
            "xl/styles.xml",
            xmlHead + """
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
                <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """
        )
    }

    private func part(_ name: String, _ content: String) throws {
        try self.zip.beginEntry(name)
        try self.zip.write(content)
        try self.zip.endEntry()
    }
}
