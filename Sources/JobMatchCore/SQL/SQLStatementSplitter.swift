/// Splits a migration file into single statements, since PostgreSQL's extended protocol runs
/// one statement per query. It understands `--` and nested `/* */` comments, single-quoted
/// strings (with `''` and `E'\''` escapes), double-quoted identifiers and `$tag$` quoting.
public enum SQLStatementSplitter {
    /// The non-empty statements of `sql`, trimmed, without their terminating semicolons.
    public static func split(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var i = 0

        func flush() {
            let text = String(current).trimmingWhitespace()
            if hasCode, !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func append(_ from: Int, _ to: Int) {
            current.append(contentsOf: chars[from..<min(to, chars.count)])
        }

        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "-" && next == "-" {
                var j = i
                while j < chars.count && chars[j] != "\n" { j += 1 }
                append(i, j)
                i = j
            } else if c == "/" && next == "*" {
                var depth = 0
                var j = i
                while j < chars.count {
                    if chars[j] == "/" && j + 1 < chars.count && chars[j + 1] == "*" {
                        depth += 1
                        j += 2
                    } else if chars[j] == "*" && j + 1 < chars.count && chars[j + 1] == "/" {
                        depth -= 1
                        j += 2
                        if depth == 0 { break }
                    } else {
                        j += 1
                    }
                }
                append(i, j)
                i = j
            } else if c == "'" {
                let escapes = i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e") && !isIdentifierChar(i >= 2 ? chars[i - 2] : " ")
                var j = i + 1
                while j < chars.count {
                    if escapes && chars[j] == "\\" {
                        j += 2
                        continue
                    }
                    if chars[j] == "'" {
                        if j + 1 < chars.count && chars[j + 1] == "'" {
                            j += 2
                            continue
                        }
                        break
                    }
                    j += 1
                }
                append(i, j + 1)
                hasCode = true
                i = j + 1
            } else if c == "\"" {
                var j = i + 1
                while j < chars.count && !(chars[j] == "\"" && !(j + 1 < chars.count && chars[j + 1] == "\"")) {
                    j += chars[j] == "\"" ? 2 : 1
                }
                append(i, j + 1)
                hasCode = true
                i = j + 1
            } else if c == "$", let tagEnd = dollarTagEnd(chars, from: i), !(i > 0 && isIdentifierChar(chars[i - 1])) {
                let tag = Array(chars[i...tagEnd])
                var j = tagEnd + 1
                var closed = chars.count
                while j + tag.count <= chars.count {
                    if Array(chars[j..<(j + tag.count)]) == tag {
                        closed = j + tag.count
                        break
                    }
                    j += 1
                }
                append(i, closed)
                hasCode = true
                i = closed
            } else if c == ";" {
                flush()
                i += 1
            } else {
                current.append(c)
                if !c.properties.isWhitespace { hasCode = true }
                i += 1
            }
        }
        flush()
        return statements
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start`, if it is one.
    private static func dollarTagEnd(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start + 1
        while j < chars.count {
            let c = chars[j]
            if c == "$" { return j }
            let allowed = c == "_" || c.properties.isAlphabetic || (j > start + 1 && ("0"..."9").contains(c))
            if !allowed { return nil }
            j += 1
        }
        return nil
    }

    private static func isIdentifierChar(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
