import Foundation
import JobMatchCore
import Mustache

/// The web app in English: the templates with their words replaced from `web/i18n/en.json` when
/// they are loaded (once, not per page), and the same catalog for the words the code hands a page
/// (field labels, choices, messages). Data (names, places, occupations) is never in the catalog.
struct WebTranslation: Sendable {
    let library: MustacheLibrary
    let catalog: TranslationCatalog
    /// Template words the catalog has no English for (the catalog test keeps this empty).
    let missing: [String]

    /// The catalog and templates under `directory` (`i18n/en.json`, `templates/*.mustache`); nil
    /// without a catalog file, when the app speaks Vietnamese only.
    static func load(directory: String) throws -> WebTranslation? {
        guard let json = FileManager.default.contents(atPath: directory + "/i18n/en.json") else { return nil }
        let catalog = try TranslationCatalog(json: json)
        var library = MustacheLibrary()
        var missing: [String] = []
        let templates = directory + "/templates"
        for file in try FileManager.default.contentsOfDirectory(atPath: templates).sorted() where file.hasSuffix(".mustache") {
            let source = try String(contentsOfFile: templates + "/" + file, encoding: .utf8)
            let english = TemplateMessages.rewrite(source, lang: "en") { message in
                let found = catalog.english(message)
                if found == nil { missing.append(message) }
                return found
            }
            try library.register(english, named: String(file.dropLast(".mustache".count)))
        }
        return WebTranslation(library: library, catalog: catalog, missing: missing)
    }

    /// `values` with every text the catalog knows in English, at every depth.
    func translating(_ values: [String: Any]) -> [String: Any] {
        var result = values
        for (key, value) in values where !Self.asTyped.contains(key) { result[key] = self.translating(value: value) }
        return result
    }

    /// Values that are what a user typed or a token, shown back as they are.
    static let asTyped: Set<String> = ["value", "csrf", "token", "next", "q", "username"]

    private func translating(value: Any) -> Any {
        switch value {
        case let text as String: self.catalog.english(text) ?? text
        case let nested as [String: Any]: self.translating(nested)
        case let list as [[String: Any]]: list.map(self.translating)
        case let list as [String]: list.map { self.catalog.english($0) ?? $0 }
        case let list as [Any]: list.map(self.translating(value:))
        default: value
        }
    }
}
