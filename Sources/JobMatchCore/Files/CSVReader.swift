/// Reads RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF) into rows of cells.
public enum CSVReader {
    /// The reasons a CSV text cannot be read.
    public enum Failure: Error, Equatable {
        case unterminatedQuote(line: Int)
        case textAfterClosingQuote(line: Int)
    }

    /// Parses the whole text; a leading byte-order mark is skipped; a trailing newline ends no row.
    public static func parse(_ text: String) throws(Failure) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        var sawAny = false

        while let c = pending ?? iterator.next() {
            pending = nil
            sawAny = true
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        afterQuote = true
                        pending = next
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                row.append(field)
                field = ""
                afterQuote = false
            case "\r", "\n":
                if c == "\r" {
                    let next = iterator.next()
                    if next != "\n" { pending = next }
                }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                afterQuote = false
                line += 1
                sawAny = false
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote { throw .textAfterClosingQuote(line: line) }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: line) }
        if sawAny || !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
