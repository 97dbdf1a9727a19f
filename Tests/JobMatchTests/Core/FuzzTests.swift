import Foundation
import JobMatchCore
import PropertyBased
import Testing

@testable import JobMatch

/// Issue 8, item 13b: the parsers that read what users and files send (CSV, the worker import, the
/// SQL splitter the migrations go through, the web app's form and multipart readers) fed malformed
/// input: random bytes decoded as UTF-8 (invalid sequences become U+FFFD), unbalanced quotes,
/// dollar-quotes and comments, byte-order marks, CR-only lines, huge fields. None may crash, and
/// each must keep its promises: what the writer writes reads back, splitting is stable, a form
/// encoded reads back as it was.
@Suite("Fuzzing the parsers: malformed input never crashes and the properties hold")
struct FuzzTests {
    typealias ByteGen = Generator<UInt8, Shrink.Integer<UInt8>>
    typealias IntGen = Generator<Int, Shrink.Integer<Int>>
    typealias TextGen = Generator<String, IntGen.ArrayShrink>

    /// Random bytes, most of them not valid UTF-8.
    static let bytes: Generator<[UInt8], ByteGen.ArrayShrink> = Gen<UInt8>.value(in: 0...255).array(of: 0...600)
    /// The same decoded the way the service decodes a body (invalid sequences become U+FFFD).
    static let randomText: Generator<String, ByteGen.ArrayShrink> = bytes.map { String(decoding: $0, as: UTF8.self) }

    /// A string of fragments from `list`, chosen to hit the parsers' edges.
    static func fragments(_ list: [String], count: ClosedRange<Int> = 0...80) -> TextGen {
        Gen.int(in: 0...(list.count - 1)).array(of: count).map { $0.map { list[$0] }.joined() }
    }

    /// One of `list`.
    static func pick<T: Sendable>(_ list: [T]) -> Generator<T, Shrink.Integer<Int>> {
        Gen.int(in: 0...(list.count - 1)).map { list[$0] }
    }

    static let huge = String(repeating: "Nguyễn Thị Bình ", count: 20_000)  // 340,000 characters

    // MARK: CSV

    static let csvFragments = [
        ",", "\"", "\"\"", "\r", "\n", "\r\n", "\u{FEFF}", "a", "é", "Nguyễn", " ", "=1+1", "-2", "@x", "\t", "\0",
        "\u{1F600}", "ho va ten", "ngày sinh", "giới tính", "mã xã", "\u{FFFD}", "'", "\"a,b\"", "\"x\"y", "31321",
        "01/02/1990", "Nam", "Nữ", "093190123456", "\u{0301}", "\u{2028}",
    ]

    @Test("the CSV reader never crashes on malformed text; what it accepts has no row without a cell")
    func csvNeverCrashes() async throws {
        await propertyCheck(
            count: 400,
            input: Gen.oneOf(
                Self.randomText,
                Self.fragments(Self.csvFragments)
            )
        ) { text in
            if let rows = try? CSVReader.parse(text) {
                #expect(rows.allSatisfy { !$0.isEmpty })
                // Every scalar of the text that is not structure ends up in a cell (so nothing is silently dropped).
                let cellScalars = rows.joined().reduce(0) { $0 + $1.unicodeScalars.count }
                #expect(cellScalars <= text.unicodeScalars.count)
            }
        }
        for text in [
            "\"" + Self.huge, Self.huge + "\"", "\"" + Self.huge.replacingOccurrences(of: " ", with: "\"\"") + "\"", "\r\r\r", "\u{FEFF}\u{FEFF}a",
        ] {
            _ = try? CSVReader.parse(text)
        }
        #expect(try CSVReader.parse("a,b\rc,d\r") == [["a", "b"], ["c", "d"]])
        #expect(try CSVReader.parse("\"" + Self.huge + "\"") == [[Self.huge]])
    }

    /// Cells of anything, including quotes, separators, line ends and formula starts.

    @Test("what the CSV writer writes, the reader reads back (formula cells with their apostrophe)")
    func csvRoundTrip() async throws {
        let table = Self.fragments(Self.csvFragments, count: 0...12).array(of: 1...6).array(of: 1...8)
        await propertyCheck(count: 400, input: table) { table in
            let bytes = CSVWriter.byteOrderMark + table.flatMap { CSVWriter().row($0) }
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = table.map { row in
                row.map { cell in
                    guard let first = cell.utf8.first,
                        [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
                    else { return cell }
                    return "'" + cell
                }
            }
            #expect((try? CSVReader.parse(text)) == expected)
        }
        let big = [[Self.huge, "\"" + Self.huge + "\"", "b"]]
        #expect(try CSVReader.parse(String(decoding: big.flatMap { CSVWriter().row($0) }, as: UTF8.self)) == big)
    }

    @Test("plain rows read the same with LF, CRLF or CR-only line ends, with or without a byte-order mark")
    func csvLineEnds() async throws {
        let plain = Self.fragments(["a", "b", "ễ", "1", " ", "x y", "Trần"], count: 1...5)
        await propertyCheck(count: 300, input: plain.array(of: 1...5).array(of: 1...10), Self.pick(["\n", "\r\n", "\r"]), Gen.bool, Gen.bool) {
            table,
            end,
            bom,
            trailing in
            var text = (bom ? "\u{FEFF}" : "") + table.map { $0.joined(separator: ",") }.joined(separator: end)
            if trailing { text += end }
            #expect((try? CSVReader.parse(text)) == table)
        }
    }

    // MARK: Worker import

    static let header = "ho va ten,ngay sinh,gioi tinh,ma xa,cccd,so dien thoai,ma nghe,ma ho,chu ho,tinh trang ho,hieu luc tu,loi"
    static let importFragments =
        csvFragments + [
            "01/02/1990", "1990-02-01", "31/02/1990", "3000-01-01", "nam", "nu", "khác", "31321", "99999",
            "0912345678", "7212", "7212;8121", "poor", "near_poor", "2026-01-01", "HG-1",
        ]

    @Test("the worker import never crashes; every data line is either a row or has errors, never both; errors point at real lines")
    func importParser() async throws {
        let parser = WorkerImportParser(today: LocalDate(year: 2026, month: 11, day: 28)!)
        // Each column mostly valid values, sometimes garbage, so that both good rows and every kind of error occur.
        let garbage = Self.fragments(Self.importFragments, count: 0...4)
        let row = zip(
            Self.pick(["Trần Thị Bình", "Nguyễn Văn An", "=cmd", "  ", "Lê \"Tí\", con"]),
            Self.pick(["01/02/1990", "1990-02-01", "31/02/1990", "2020-01-01", "x"]),
            Self.pick(["Nam", "Nữ", "nam", "nu", "khác"]),
            Self.pick(["31321", "99999", "3132", ""]),
            Self.pick(["", "093190123456", "093090123456", "12"]),
            Self.pick(["", "0912345678", "12345"]),
            Self.pick(["", "7212", "7212;8121", "0000"]),
            garbage
        )
        .map { name, birth, sex, ward, cccd, phone, occupation, extra in [name, birth, sex, ward, cccd, phone, occupation, extra] }
        let rows = row.array(of: 0...12)
        let tally = Tally()
        await propertyCheck(count: 300, input: rows) { rows in
            let text = ([Self.header] + rows.map { $0.map(CSVWriter.escape).joined(separator: ",") }).joined(separator: "\r\n")
            let result = parser.parse(text)
            tally.add(rows: result.rows.count, errors: result.errors.count)
            let table = (try? CSVReader.parse(text)) ?? []
            let rowLines = Set(result.rows.map(\.line))
            let errorLines = Set(result.errors.map(\.line))
            #expect(result.rows.count == rowLines.count, "a line read twice")
            #expect(rowLines.isDisjoint(with: errorLines))
            #expect(errorLines.allSatisfy { (1...max(1, table.count)).contains($0) })
            #expect(!result.errors.contains { $0.line == 1 }, "the header is valid")
            #expect(rowLines.union(errorLines) == Set(result.rawLines.keys))
            let nonBlank = table.dropFirst().filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }.count
            #expect(result.rawLines.count == nonBlank)
            // A row read is the line's cells, cleaned: the name is the first cell without surrounding spaces.
            for parsed in result.rows {
                #expect(parsed.fullName == table[parsed.line - 1][0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "'=", with: "="))
            }
        }
        print("fuzz: worker import, 300 generated files: \(tally.rows) rows read, \(tally.errors) errors reported")
        #expect(tally.rows > 0 && tally.errors > 0, "the generator made \(tally.rows) good rows and \(tally.errors) errors")
        await propertyCheck(
            count: 300,
            input: Gen.oneOf(
                Self.randomText,
                Self.fragments(Self.csvFragments)
            )
        ) { text in
            let result = parser.parse(Self.header + "\r\n" + text)
            #expect(Set(result.rows.map(\.line)).isDisjoint(with: Set(result.errors.map(\.line))))
            _ = parser.parse(text)
        }
        // A valid row, written by our CSV writer, is read back as it was.
        let valid = [["Họ và tên", "Ngày sinh", "Giới tính", "Mã xã"], ["Trần Thị \"Bé\", con", "01/02/1990", "Nữ", "31321"]]
        let result = parser.parse(String(decoding: CSVWriter.byteOrderMark + valid.flatMap { CSVWriter().row($0) }, as: UTF8.self))
        #expect(result.errors.isEmpty)
        #expect(result.rows.first?.fullName == "Trần Thị \"Bé\", con")
        _ = parser.parse(Self.header + "\r\n" + Self.huge + ",01/02/1990,Nam,31321")
    }

    // MARK: SQL statement splitter

    static let sqlFragments = [
        "select 1", " ", "\n", "\r\n", ";", "'", "''", "'a;b'", "E'\\''", "e'\\\\'", "E", "\\", "\"", "\"id;x\"", "$$", "$$ ; $$",
        "$body$", "$body$ a;b $body$", "$1", "$", "$a", "--", "-- c;\n", "/*", "*/", "/* ; */", "/* /* */ */", "x", "é",
        "\u{FEFF}", "\r", "-", "/", "*", "\t", "$_9$", "insert into t values ('x')",
    ]

    @Test("the SQL splitter never crashes; splitting what it split again gives the same statements")
    func splitterStable() async throws {
        await propertyCheck(
            count: 500,
            input: Gen.oneOf(
                Self.randomText,
                Self.fragments(Self.sqlFragments)
            )
        ) { sql in
            let statements = SQLStatementSplitter.split(sql)
            #expect(statements.allSatisfy { !$0.isEmpty })
            // Joined with a semicolon on a line of its own (so that a trailing `--` comment cannot swallow it).
            #expect(SQLStatementSplitter.split(statements.joined(separator: "\n;\n")) == statements)
        }
        for sql in ["'" + Self.huge, "$$" + Self.huge, "/*" + Self.huge, "\"" + Self.huge, "E'\\", "$a$ $a", "select '" + Self.huge + "'; select 2"] {
            _ = SQLStatementSplitter.split(sql)
        }
        #expect(SQLStatementSplitter.split("select '" + Self.huge + "'; select 2") == ["select '" + Self.huge + "'", "select 2"])
    }

    /// Tokens that are complete on their own; the ones with `;` inside must not split.
    static let sqlTokens = [
        "select", "x", "42", "'a;b'", "'it''s;'", "E'\\';'", "\"we;ird\"\"id\"", "$$a;b$$", "$fn$ x; $$ y $fn$", "/* c; /* n; */ */",
        "-- c;\n", "Nguyễn", "(1, 2)", "::text", "$1",
    ]

    @Test("statements joined by semicolons split back into exactly those statements, semicolons inside strings, bodies and comments kept")
    func splitterRoundTrip() async {
        let statement = zip(Self.pick(["select", "insert", "create", "x"]), Self.pick(Self.sqlTokens).array(of: 0...8))
            .map { first, rest in ([first] + rest).joined(separator: " ") }
        await propertyCheck(
            count: 500,
            input: statement.array(of: 1...8),
            Self.pick(["", " ", "\n", "\r\n", "\t", "\n\n"]).array(of: 1...8),
            Gen.bool
        ) { statements, gaps, trailing in
            var sql = ""
            for (index, statement) in statements.enumerated() {
                if index > 0 { sql += ";" + gaps[index % gaps.count] }
                sql += statement
            }
            if trailing { sql += ";\n" }
            #expect(SQLStatementSplitter.split(sql) == statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        }
    }

    // MARK: Web forms

    static let formFragments = ["a", "é", " ", "+", "%", "%2", "%zz", "%41", "&", "=", "\u{1F600}", "Nguyễn Thị", "\0", "\n", "%E1%BB", ";"]

    @Test("the form reader never crashes; a form encoded as browsers do reads back pair by pair")
    func webForm() async {
        let formText = Self.fragments(Self.formFragments, count: 0...10)
        await propertyCheck(count: 400, input: Gen.oneOf(Self.randomText, formText)) { body in
            let pairs = WebForm.parse(body)
            #expect(pairs.count <= body.split(separator: "&").count)
        }
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        await propertyCheck(count: 400, input: zip(formText.filter { !$0.isEmpty }, formText).array(of: 0...8)) { pairs in
            let body = pairs.map { name, value in
                name.addingPercentEncoding(withAllowedCharacters: unreserved)! + "=" + value.addingPercentEncoding(withAllowedCharacters: unreserved)!
            }.joined(separator: "&")
            let parsed = WebForm.parse(body)
            #expect(parsed.map(\.0) == pairs.map(\.0))
            #expect(parsed.map(\.1) == pairs.map(\.1))
        }
    }

    static let boundary = "----jobmatchBoundary7MA4YWxk"

    /// A multipart body as a browser sends it.
    static func multipart(fields: [(String, String)], file: [UInt8], fileName: String) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n".utf8
        )
        body += file + Array("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    @Test(
        "the multipart reader never crashes on garbage or damaged bodies; a well-formed body reads back field by field and byte for byte, however it is cut into chunks; one cut short is refused"
    )
    func webUpload() async throws {
        let names = Self.pick(["_csrf", "partial", "note", "a", "tên"]).array(of: 0...4)
        let partText = Self.fragments(
            ["a", "é", "\r\n", "\r", "\n", "--", "-", "\"", "; name=\"x\"", "\r\n\r\n", "Content-Disposition", " ", "ễ"],
            count: 0...12
        )
        .filter { !$0.contains(FuzzTests.boundary) }
        await propertyCheck(
            count: 300,
            input: names,
            partText.array(of: 4),
            Self.bytes,
            Self.pick(["ds.csv", "dữ liệu.csv", "a b.csv"]),
            Gen.int(in: 1...80)
        ) { names, values, file, fileName, chunk in
            let fields = Dictionary(zip(names, values).map { ($0, $1) }, uniquingKeysWith: { _, last in last })
            let ordered = zip(names, values).map { ($0, $1) }
            guard !file.containsSubsequence(Array("--\(Self.boundary)".utf8)) else { return }
            let body = Self.multipart(fields: ordered, file: file, fileName: fileName)
            for size in [Int.max, chunk] {
                let upload = try #require(try? WebUpload.parse(body, boundary: Self.boundary, fileField: "file", chunk: size))
                #expect(upload.fields == fields)
                #expect(upload.file == file)
                #expect(upload.fileName == fileName)
            }
        }
        // Damaged: cut short, a byte changed, garbage with and without the boundary in it.
        await propertyCheck(
            count: 400,
            input: Self.bytes,
            Gen.int(in: 0...10_000),
            Gen<UInt8>.value(in: 0...255),
            Self.pick(["", "-", Self.boundary])
        ) {
            garbage,
            cut,
            flip,
            boundary in
            var body = Self.multipart(fields: [("_csrf", "token"), ("note", "x")], file: garbage, fileName: "a.csv")
            let end = cut % (body.count + 1)
            // Anything before the closing boundary's first hyphen is cut short.
            if end < body.count - 3, !garbage.containsSubsequence(Array("--\(Self.boundary)".utf8)) {
                #expect(throws: MultipartFormReader.Problem.self) {
                    try WebUpload.parse(Array(body.prefix(end)), boundary: Self.boundary, fileField: "file")
                }
            }
            _ = try? WebUpload.parse(Array(body.prefix(end)), boundary: Self.boundary, fileField: "file", chunk: 7)
            body[cut % body.count] = flip
            _ = try? WebUpload.parse(body, boundary: Self.boundary, fileField: "file")
            _ = try? WebUpload.parse(garbage, boundary: boundary, fileField: "file")
            _ = try? WebUpload.parse(Array("--\(boundary)".utf8) + garbage + Array("--\(boundary)".utf8), boundary: boundary, fileField: "file")
        }
        let big = [UInt8](repeating: UInt8(ascii: "-"), count: 300_000)
        #expect(
            try WebUpload.parse(Self.multipart(fields: [], file: big, fileName: "big.csv"), boundary: Self.boundary, fileField: "file").file == big
        )
        #expect(throws: MultipartFormReader.Problem.malformed) { try WebUpload.parse(Array("a=1".utf8), boundary: "", fileField: "file") }
        // MultipartKit 4.7.1 traps on a header name byte of 0x80 or more; the reader refuses it instead.
        let accented = Array("--\(Self.boundary)\r\nTên: x\r\n\r\nabc\r\n--\(Self.boundary)--\r\n".utf8)
        for chunk in [Int.max, 1, 5] {
            #expect(throws: MultipartFormReader.Problem.malformed) {
                try WebUpload.parse(accented, boundary: Self.boundary, fileField: "file", chunk: chunk)
            }
        }
        #expect(throws: MultipartFormReader.Problem.malformed) { try WebUpload.parse([], boundary: Self.boundary, fileField: "file") }
    }
}

/// Counts across the cases of a property (they run one after another).
final class Tally: @unchecked Sendable {
    private(set) var rows = 0
    private(set) var errors = 0
    func add(rows: Int, errors: Int) {
        self.rows += rows
        self.errors += errors
    }
}

extension Array where Element == UInt8 {
    fileprivate func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, self.count >= needle.count else { return false }
        return (0...(self.count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
