import Foundation

/// The English for the web app's Vietnamese words, keyed by the Vietnamese exactly as the templates
/// and the code write it (gettext's way: the source text is the key). A key with `{}` is a pattern:
/// each `{}` stands for a value filled in at run time (a name, a number), carried into the English.
public struct TranslationCatalog: Sendable {
    /// Whole texts.
    let exact: [String: String]
    /// Patterns, by the first character of their Vietnamese (a text is tried only against its own).
    let patterns: [Character: [Pattern]]

    /// A key with `{}` holes: its literal pieces and the English pieces between the same holes.
    struct Pattern: Sendable {
        let pieces: [String]
        let english: [String]
    }

    public init(entries: [String: String]) {
        var exact: [String: String] = [:]
        var patterns: [Character: [Pattern]] = [:]
        for (key, english) in entries {
            let pieces = key.components(separatedBy: "{}")
            let englishPieces = english.components(separatedBy: "{}")
            if pieces.count == 1 || pieces.count != englishPieces.count {
                exact[key] = english
            } else if let first = key.first, first != "{" {
                patterns[first, default: []].append(Pattern(pieces: pieces, english: englishPieces))
            } else {
                patterns["{", default: []].append(Pattern(pieces: pieces, english: englishPieces))
            }
        }
        // A text is tried against the patterns of its first character and those opening with a
        // hole, the most specific (longest literal) first.
        let open = patterns["{"] ?? []
        for key in patterns.keys where key != "{" { patterns[key]! += open }
        self.exact = exact
        self.patterns = patterns.mapValues { list in list.sorted { $0.pieces.joined().count > $1.pieces.joined().count } }
    }

    /// A catalog read from a JSON object of Vietnamese keys and English values.
    public init(json: Data) throws {
        self.init(entries: try JSONDecoder().decode([String: String].self, from: json))
    }

    /// The English for `text`, or nil when the catalog has none. A pattern's values are translated
    /// too when they are words of the catalog (a label inside a sentence: "{}: {} of {}").
    public func english(_ text: String) -> String? {
        self.english(text, depth: 0)
    }

    private func english(_ text: String, depth: Int) -> String? {
        if let found = self.exact[text] { return found }
        guard depth < 3, let first = text.first else { return nil }
        for pattern in self.patterns[first] ?? self.patterns["{"] ?? [] {
            if let holes = Self.holes(of: text, in: pattern.pieces) {
                var result = pattern.english[0]
                for (index, hole) in holes.enumerated() {
                    result += (self.english(hole, depth: depth + 1) ?? self.lowercasedLabel(hole) ?? hole) + pattern.english[index + 1]
                }
                return result
            }
        }
        return nil
    }

    /// A label the code wrote in lower case inside a sentence ("Hãy nhập mã hồ sơ"), found by its
    /// capitalised form and given back in lower case.
    private func lowercasedLabel(_ text: String) -> String? {
        guard let first = text.first, first.isLowercase, let found = self.exact[first.uppercased() + text.dropFirst()], let head = found.first
        else { return nil }
        return head.lowercased() + found.dropFirst()
    }

    /// The values in the holes when `text` has the pattern's pieces in order (a hole may be empty: `''`).
    static func holes(of text: String, in pieces: [String]) -> [String]? {
        guard text.hasPrefix(pieces[0]), text.hasSuffix(pieces[pieces.count - 1]) else { return nil }
        var rest = Substring(text.dropFirst(pieces[0].count))
        var holes: [String] = []
        for (index, piece) in pieces.enumerated().dropFirst() {
            if index == pieces.count - 1 {
                guard rest.count >= piece.count, rest.hasSuffix(piece) else { return nil }
                holes.append(String(rest.dropLast(piece.count)))
            } else {
                guard let range = rest.range(of: piece) else { return nil }
                holes.append(String(rest[..<range.lowerBound]))
                rest = rest[range.upperBound...]
            }
        }
        return holes
    }
}
