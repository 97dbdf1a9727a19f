/// The words a reader sees in a Mustache HTML template, found and replaced without touching its
/// markup: each run of text between tags (value tags such as `{{count}}` stay inside the run, as
/// part of the sentence) and the `aria-label`, `placeholder`, `title` and `alt` attributes.
/// A message is the run with its whitespace collapsed; one with no letter outside value tags is none.
public enum TemplateMessages {
    /// The attributes whose values a reader sees or hears.
    static let readAttributes: Set<String> = ["aria-label", "placeholder", "title", "alt"]

    /// Every message of `source`, in order (repeats included).
    public static func messages(in source: String) -> [String] {
        var found: [String] = []
        _ = self.rewrite(source) { message in
            found.append(message)
            return nil
        }
        return found
    }

    /// `source` with each message replaced by `translate(message)` (kept when it answers nil), the
    /// whitespace around a message kept; `lang="vi"` becomes `lang` (the target language's code).
    public static func rewrite(_ source: String, lang: String? = nil, translate: (String) -> String?) -> String {
        var scanner = Scanner(text: Array(source.unicodeScalars))
        var output = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()

        func flush() {
            output.append(contentsOf: self.translated(String(run), translate).unicodeScalars)
            run.removeAll()
        }

        while !scanner.atEnd {
            if scanner.looking(at: "{{") {
                let tag = scanner.mustacheTag()
                if Self.isValueTag(tag) {
                    run.append(contentsOf: tag.unicodeScalars)
                } else {
                    flush()
                    output.append(contentsOf: tag.unicodeScalars)
                }
            } else if scanner.looking(at: "<!--") {
                flush()
                output.append(contentsOf: scanner.through("-->").unicodeScalars)
            } else if scanner.atTagStart {
                flush()
                let tag = scanner.htmlTag()
                output.append(contentsOf: self.rewritingAttributes(tag, lang: lang, translate).unicodeScalars)
                if let raw = Self.rawTextElement(tag) {
                    output.append(contentsOf: scanner.until("</" + raw).unicodeScalars)
                }
            } else {
                run.append(scanner.next())
            }
        }
        flush()
        return String(output)
    }

    /// A run of text translated, its surrounding whitespace kept.
    private static func translated(_ run: String, _ translate: (String) -> String?) -> String {
        let message = self.collapsed(run)
        guard self.isMessage(message), let english = translate(message) else { return run }
        let leading = run.prefix { $0.isWhitespace }
        let trailing = String(run.reversed().prefix { $0.isWhitespace }.reversed())
        return leading + english + trailing
    }

    /// Whitespace runs as one space, none at the ends.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// A message has a letter outside its value tags.
    public static func isMessage(_ text: String) -> Bool {
        var depth = 0
        var previous: Character = " "
        for character in text {
            if character == "{" && previous == "{" { depth += 1 }
            if character == "}" && previous == "}" { depth = max(0, depth - 1) }
            if depth == 0 && character.isLetter { return true }
            previous = character
        }
        return false
    }

    /// `{{name}}`, `{{{name}}}` and `{{&name}}` insert a value; sections, partials and comments do not.
    static func isValueTag(_ tag: String) -> Bool {
        let inner = tag.drop { $0 == "{" }.drop { $0 == " " }
        guard let first = inner.first else { return false }
        return !"#^/>!=".contains(first)
    }

    /// `script` or `style` for a tag opening one (its content is not text), nil otherwise.
    static func rawTextElement(_ tag: String) -> String? {
        let name = tag.dropFirst().prefix { $0.isLetter }.lowercased()
        return name == "script" || name == "style" ? name : nil
    }

    /// An HTML tag with its read attributes translated and `lang="vi"` set to `lang`.
    static func rewritingAttributes(_ tag: String, lang: String?, _ translate: (String) -> String?) -> String {
        var result = ""
        var rest = Substring(tag)
        while let equals = rest.firstIndex(of: "=") {
            let quoteIndex = rest.index(after: equals)
            guard quoteIndex < rest.endIndex, rest[quoteIndex] == "\"" else {
                result += rest[...equals]
                rest = rest[quoteIndex...]
                continue
            }
            let valueStart = rest.index(after: quoteIndex)
            guard let valueEnd = rest[valueStart...].firstIndex(of: "\"") else { break }
            let name = String(rest[..<equals].reversed().prefix { $0.isLetter || $0 == "-" }.reversed()).lowercased()
            let value = String(rest[valueStart..<valueEnd])
            var replaced = value
            if name == "lang", value == "vi", let lang {
                replaced = lang
            } else if Self.readAttributes.contains(name) {
                let message = self.collapsed(value)
                if self.isMessage(message), let english = translate(message) { replaced = english }
            }
            result += rest[...quoteIndex] + replaced + "\""
            rest = rest[rest.index(after: valueEnd)...]
        }
        return result + rest
    }

    /// A cursor over a template's scalars.
    private struct Scanner {
        let text: [Unicode.Scalar]
        var position = 0

        var atEnd: Bool { self.position >= self.text.count }

        /// `<` followed by a letter, `/` or `!`: the start of an element's tag.
        var atTagStart: Bool {
            guard self.text[self.position] == "<", self.position + 1 < self.text.count else { return false }
            let next = self.text[self.position + 1]
            return next == "/" || next == "!" || next.properties.isAlphabetic
        }

        func looking(at prefix: String) -> Bool {
            var index = self.position
            for scalar in prefix.unicodeScalars {
                guard index < self.text.count, self.text[index] == scalar else { return false }
                index += 1
            }
            return true
        }

        mutating func next() -> Unicode.Scalar {
            defer { self.position += 1 }
            return self.text[self.position]
        }

        /// Everything up to and including `end` (or to the end).
        mutating func through(_ end: String) -> String {
            var taken = String.UnicodeScalarView()
            while !self.atEnd && !self.looking(at: end) { taken.append(self.next()) }
            for _ in end.unicodeScalars where !self.atEnd { taken.append(self.next()) }
            return String(taken)
        }

        /// Everything before `end` (or to the end), `end` left to read.
        mutating func until(_ end: String) -> String {
            var taken = String.UnicodeScalarView()
            while !self.atEnd && !self.looking(at: end) { taken.append(self.next()) }
            return String(taken)
        }

        /// A Mustache tag: `{{...}}`, or `{{{...}}}`.
        mutating func mustacheTag() -> String {
            self.through(self.looking(at: "{{{") ? "}}}" : "}}")
        }

        /// An HTML tag up to its closing `>`, quotes and Mustache tags inside it kept whole.
        mutating func htmlTag() -> String {
            var taken = String.UnicodeScalarView()
            var quote: Unicode.Scalar? = nil
            while !self.atEnd {
                if self.looking(at: "{{") {
                    taken.append(contentsOf: self.mustacheTag().unicodeScalars)
                    continue
                }
                let scalar = self.next()
                taken.append(scalar)
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == ">" {
                    break
                }
            }
            return String(taken)
        }
    }
}
