import JobMatchCore
import Testing

@Suite("CSV writer and reader")
struct CSVTests {
    @Test("cells that could run as formulas are neutralised")
    func formulas() {
        #expect(CSVWriter.escape("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.escape("+84912") == "'+84912")
        #expect(CSVWriter.escape("-1") == "'-1")
        #expect(CSVWriter.escape("@cmd") == "'@cmd")
        #expect(CSVWriter.escape("Nguyễn") == "Nguyễn")
    }

    @Test("rows are CRLF-terminated and quoted where needed")
    func quoting() {
        let row = String(decoding: CSVWriter().row(["a,b", "say \"hi\"", "line\nbreak", "093090123456"]), as: UTF8.self)
        #expect(row == "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",093090123456\r\n")
        #expect(CSVWriter.byteOrderMark == [0xEF, 0xBB, 0xBF])
    }

    @Test("what the writer writes, the reader reads back")
    func roundTrip() throws {
        let cells = [["STT", "Họ và tên", "ghi chú"], ["1", "Trần Thị \"Bình\"", "a,b\nc"]]
        let text = String(decoding: CSVWriter.byteOrderMark + cells.flatMap { CSVWriter().row($0) }, as: UTF8.self)
        #expect(try CSVReader.parse(text) == cells)
    }

    @Test("malformed CSV is reported, not crashed on")
    func malformed() throws {
        #expect(throws: CSVReader.Failure.unterminatedQuote(line: 1)) { try CSVReader.parse("a,\"b") }
        #expect(throws: CSVReader.Failure.textAfterClosingQuote(line: 1)) { try CSVReader.parse("\"a\"b,c") }
        #expect(try CSVReader.parse("") == [])
        #expect(try CSVReader.parse("a\r\nb") == [["a"], ["b"]])
    }
}
