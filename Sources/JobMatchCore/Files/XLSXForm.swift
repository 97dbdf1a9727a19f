/// A one-sheet workbook laid out like a printed form: columns of set widths, merged cells, wrapped
/// text, bordered tables, printed on A4 one page wide. Built in memory, for small documents such as
/// the report the centre files with the department (aggregates only); large lists use `XLSXWriter`.
public struct XLSXForm {
    /// The cell styles (their order is their index in styles.xml).
    public enum Style: Int, Sendable {
        case plain = 0
        case bold
        case title
        case centered
        case italicCentered
        case boldCentered
        case tableHeader
        case tableText
        case tableNumber
        case tableDecimal
    }

    /// One cell: a text or a number, in a style.
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    private struct Row {
        var cells: [(column: Int, value: Value, style: Style)]
        var height: Double?
    }

    /// Column widths, in characters of the default font.
    public let widths: [Double]
    public let landscape: Bool
    private var rows: [Row] = []
    private var merges: [String] = []

    public init(widths: [Double], landscape: Bool = false) {
        precondition(!widths.isEmpty && widths.count <= 26, "a form has 1 to 26 columns")
        self.widths = widths
        self.landscape = landscape
    }

    /// The number of rows added so far.
    public var rowCount: Int { self.rows.count }

    /// Adds a row of cells, one per column from the first (`nil` leaves a column empty).
    public mutating func row(_ cells: [(Value, Style)?], height: Double? = nil) {
        let placed = cells.enumerated().compactMap { index, cell in cell.map { (column: index, value: $0.0, style: $0.1) } }
        self.rows.append(Row(cells: placed, height: height))
    }

    /// Adds an empty row (`height` in points).
    public mutating func gap(_ height: Double = 8) {
        self.rows.append(Row(cells: [], height: height))
    }

    /// Adds a row whose spans (first column, last column, text, style) are each one merged cell;
    /// the row is made tall enough for the longest wrapped text.
    public mutating func spans(_ spans: [(first: Int, last: Int, text: String, style: Style)], minimumHeight: Double = 16) {
        var cells: [(column: Int, value: Value, style: Style)] = []
        var height = minimumHeight
        for span in spans {
            precondition(span.first <= span.last && span.last < self.widths.count, "a span inside the form's columns")
            cells.append((span.first, .text(span.text), span.style))
            if span.last > span.first {
                self.merges.append("\(XLSXWriter.column(span.first))\(self.rows.count + 1):\(XLSXWriter.column(span.last))\(self.rows.count + 1)")
            }
            let width = self.widths[span.first...span.last].reduce(0, +)
            height = max(height, Self.height(of: span.text, width: width, style: span.style))
        }
        self.rows.append(Row(cells: cells, height: height))
    }

    /// Adds a bordered table row starting at column `from`: texts wrap, numbers align right (the
    /// columns in `decimals` with two decimals); tall enough for its longest text.
    public mutating func tableRow(_ values: [Value], from first: Int = 0, header: Bool = false, decimals: Set<Int> = []) {
        var height: Double = 16
        var cells: [(Value, Style)?] = Array(repeating: nil, count: first)
        for (index, value) in zip(first..., values) where index < self.widths.count {
            let style: Style
            switch value {
            case .text(let text):
                style = header ? .tableHeader : .tableText
                height = max(height, Self.height(of: text, width: self.widths[index], style: style))
            case .number: style = decimals.contains(index) ? .tableDecimal : .tableNumber
            }
            cells.append((value, style))
        }
        self.row(cells, height: height)
    }

    /// The workbook's bytes: one sheet called `sheet`.
    public func bytes(sheet: String) throws -> [UInt8] {
        let zip = ZipStreamWriter(level: 6)
        try self.writeParts(sheet: XLSXWriter.sheetName(sheet), to: zip)
        var xml = Self.xmlHead
        xml += "<worksheet xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
        xml += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><sheetViews><sheetView workbookViewId=\"0\" showGridLines=\"0\"/></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"16\"/><cols>"
        for (index, width) in self.widths.enumerated() {
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        var bytes = Array(xml.utf8)
        for (index, row) in self.rows.enumerated() {
            let number = index + 1
            bytes += Array("<row r=\"\(number)\"".utf8)
            if let height = row.height { bytes += Array(" ht=\"\(height)\" customHeight=\"1\"".utf8) }
            bytes += Array(">".utf8)
            for cell in row.cells {
                bytes += Array("<c r=\"\(XLSXWriter.column(cell.column))\(number)\" s=\"\(cell.style.rawValue)\"".utf8)
                switch cell.value {
                case .text(let text):
                    bytes += Array(" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
                    XLSXWriter.appendEscaped(text, to: &bytes)
                    bytes += Array("</t></is></c>".utf8)
                case .number(let value):
                    let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
                    bytes += Array("><v>\(text)</v></c>".utf8)
                }
            }
            bytes += Array("</row>".utf8)
        }
        var tail = "</sheetData>"
        if !self.merges.isEmpty {
            tail += "<mergeCells count=\"\(self.merges.count)\">" + self.merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        tail += "<printOptions horizontalCentered=\"1\"/>"
        tail += "<pageMargins left=\"0.6\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        tail += "<pageSetup paperSize=\"9\" orientation=\"\(self.landscape ? "landscape" : "portrait")\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        tail += "</worksheet>"
        bytes += Array(tail.utf8)
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        try zip.write(bytes)
        try zip.endEntry()
        try zip.finish()
        return zip.drain()
    }

    /// A row height (points) that shows `text` wrapped in `width` characters: about 15 points a line,
    /// 19 for the title's larger font; explicit line breaks count.
    static func height(of text: String, width: Double, style: Style) -> Double {
        let perLine = max(1, width * (style == .title ? 0.85 : 1.05))
        var lines = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += max(1, Int((Double(line.count) / perLine).rounded(.up)))
        }
        return Double(lines) * (style == .title ? 19 : 15.5) + 2
    }

    // MARK: Package parts

    private static let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private func writeParts(sheet: String, to zip: ZipStreamWriter) throws {
        func part(_ name: String, _ content: String) throws {
            try zip.beginEntry(name)
            try zip.write(Self.xmlHead + content)
            try zip.endEntry()
        }
        try part(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            </Types>
            """
        )
        try part(
            "_rels/.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(Self.relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        )
        var name: [UInt8] = []
        XLSXWriter.appendEscaped(sheet, to: &name)
        try part(
            "xl/workbook.xml",
            """
            <workbook xmlns="\(Self.mainNamespace)" xmlns:r="\(Self.relationshipNamespace)"><sheets>\
            <sheet name="\(String(decoding: name, as: UTF8.self))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        )
        try part(
            "xl/_rels/workbook.xml.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(Self.relationshipNamespace)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(Self.relationshipNamespace)/styles" Target="styles.xml"/></Relationships>
            """
        )
        try part("xl/styles.xml", Self.styles)
    }

    /// Numbers in Vietnamese notation (locale 42A: 95.000 and 12,50). Fonts: 0 regular, 1 bold, 2 italic, 3 the title (bold, larger); Times New Roman, as
    /// administrative documents are set. Borders: 0 none, 1 thin all round. One `xf` per `Style`.
    private static let styles: String = {
        let wrap = "<alignment wrapText=\"1\" vertical=\"top\"/>"
        let centered = "<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/>"
        let cell = "<alignment vertical=\"center\" wrapText=\"1\"/>"
        let number = "<alignment horizontal=\"right\" vertical=\"center\"/>"
        let xfs: [(Style, numberFormat: Int, font: Int, border: Int, alignment: String)] = [
            (.plain, 0, 0, 0, wrap), (.bold, 0, 1, 0, wrap), (.title, 0, 3, 0, centered), (.centered, 0, 0, 0, centered),
            (.italicCentered, 0, 2, 0, centered), (.boldCentered, 0, 1, 0, centered), (.tableHeader, 0, 1, 1, centered),
            (.tableText, 0, 0, 1, cell), (.tableNumber, 164, 0, 1, number), (.tableDecimal, 165, 0, 1, number),
        ]
        precondition(xfs.enumerated().allSatisfy { $0.offset == $0.element.0.rawValue }, "styles in their index order")
        let font = { (extra: String, size: Int) in "<font>\(extra)<sz val=\"\(size)\"/><name val=\"Times New Roman\"/><family val=\"1\"/></font>" }
        return """
            <styleSheet xmlns="\(mainNamespace)">\
            <numFmts count="2"><numFmt numFmtId="164" formatCode="[$-42A]#,##0"/><numFmt numFmtId="165" formatCode="[$-42A]#,##0.00"/></numFmts>\
            <fonts count="4">\(font("", 12))\(font("<b/>", 12))\(font("<i/>", 12))\(font("<b/>", 14))</fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
            <border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="\(xfs.count)">\
            \(xfs.map { "<xf numFmtId=\"\($0.numberFormat)\" fontId=\"\($0.font)\" fillId=\"0\" borderId=\"\($0.border)\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\">\($0.alignment)</xf>" }.joined())\
            </cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """
    }()
}
