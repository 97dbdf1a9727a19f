import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the staff web app's pages from the Mustache templates in `web/templates` (every `{{value}}`
/// HTML-escaped; `{{{...}}}` only for markup built here from numbers, such as the charts).
struct WebRenderer: Sendable {
    /// The templates as written (Vietnamese).
    let library: MustacheLibrary
    /// The same templates with their words in English (`WebTranslation`), and the catalog that
    /// translates the words the code hands them.
    var english: WebTranslation? = nil
    /// Strict mode (the tests'): a page whose template names a value it was not given is not
    /// drawn; it answers 500 naming what is missing, in the body and in `X-Template-Missing`.
    var check: TemplateValueCheck? = nil

    /// The header naming, in strict mode, the template values a page was not given.
    static let missingValuesHeader = HTTPField.Name("X-Template-Missing")!

    static func load(directory: String, strict: Bool = false) async throws -> WebRenderer {
        WebRenderer(
            library: try await MustacheLibrary(directory: directory + "/templates"),
            english: try WebTranslation.load(directory: directory),
            check: strict ? try TemplateValueCheck.load(directory: directory + "/templates") : nil
        )
    }

    /// A whole page: `template` inside the layout (header with the navigation for the caller's role,
    /// the sign-out form, the footer), as `text/html`.
    func page(
        _ template: String,
        title: String,
        context: AppRequestContext,
        values: [String: Any] = [:],
        section: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["pageTitle"] = title
        if all["title"] == nil { all["title"] = title }
        if let session = context.webSession {
            all["user"] = ["name": session.displayName.isEmpty ? session.username : session.displayName, "role": session.role.vietnamese]
            all["csrf"] = session.csrfToken
            all["isAdmin"] = session.role == .admin
            all["canWrite"] = session.role.canWrite
        }
        all["section_" + (section ?? template.split(separator: "_").first.map(String.init)!)] = true
        let other = context.language.other
        all["languageSwitch"] = ["code": other.code, "name": other.name, "next": Self.queryValue(context.currentPath)]
        if let refused = self.refusingMissing(template, all) { return refused }
        let html =
            self.library(for: context.language).render(self.words(Self.droppingEmpty(all), in: context.language), withTemplate: template)
            ?? "<!doctype html><title>Lỗi</title><p>Không hiển thị được trang.</p>"
        return Self.html(html, status: status)
    }

    /// A page holding one form (`form_page`): `fields` drawn with what was typed and each field's error.
    func form(
        title: String,
        heading: String? = nil,
        intro: String? = nil,
        action: String,
        fields: [WebField],
        state: WebFormState = WebFormState(),
        submit: String,
        back: (path: String, label: String)? = nil,
        section: String,
        context: AppRequestContext,
        multipart: Bool = false,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        self.page(
            "form_page",
            title: title,
            context: context,
            values: [
                "heading": heading ?? title, "intro": intro ?? "", "action": action, "fields": state.render(fields), "message": state.message ?? "",
                "submit": submit, "back": back?.path ?? "", "backLabel": back?.label ?? "", "cancel": back?.path ?? "", "multipart": multipart,
            ],
            section: section,
            status: status
        )
    }

    /// The values without empty strings, at every depth, so that `{{#value}}` sections show only when
    /// there is something to show.
    static func droppingEmpty(_ values: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in values {
            switch value {
            case let text as String where text.isEmpty: continue
            case let nested as [String: Any]: result[key] = Self.droppingEmpty(nested)
            case let list as [[String: Any]]: result[key] = list.map(Self.droppingEmpty)
            default: result[key] = value
            }
        }
        return result
    }

    /// A part of a page (no layout), for a script that replaces part of the page it is on.
    func fragment(_ template: String, values: [String: Any], language: WebLanguage = .vi) -> Response {
        if let refused = self.refusingMissing(template, values) { return refused }
        return Self.html(self.library(for: language).render(self.words(Self.droppingEmpty(values), in: language), withTemplate: template) ?? "")
    }

    /// The templates in `language` (Vietnamese when there is no English catalog).
    func library(for language: WebLanguage) -> MustacheLibrary {
        language == .en ? (self.english?.library ?? self.library) : self.library
    }

    /// The values a page is given, their words in `language` (the code writes them in Vietnamese).
    func words(_ values: [String: Any], in language: WebLanguage) -> [String: Any] {
        guard language == .en, let english = self.english else { return values }
        return english.translating(values)
    }

    /// One text the code writes in Vietnamese, in `language` (for markup drawn in code, such as a chart's label).
    func word(_ text: String, in language: WebLanguage) -> String {
        guard language == .en, let english = self.english else { return text }
        return english.catalog.english(text) ?? text
    }

    /// `text` escaped to stand as one value in a query string.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "%2F"
    }

    /// `template` alone as text, every value as given (nothing dropped: such a template shows or
    /// hides its parts by flags), for a document drawn once; in strict mode, throws when a value is missing.
    func render(_ template: String, values: [String: Any]) throws -> String {
        if let missing = self.check?.missing(in: template, values: values), !missing.isEmpty {
            throw TemplateValueCheck.Missing(template: template, names: missing)
        }
        guard let text = self.library.render(values, withTemplate: template) else { throw TemplateValueCheck.Missing(template: template, names: []) }
        return text
    }

    /// In strict mode, the 500 answer for a template that names values not given; nil otherwise.
    private func refusingMissing(_ template: String, _ values: [String: Any]) -> Response? {
        guard let check = self.check else { return nil }
        let missing = check.missing(in: template, values: values)
        guard !missing.isEmpty else { return nil }
        let list = missing.joined(separator: ", ")
        var response = Self.html("<!doctype html><title>Template values missing</title><p>\(template): \(list)</p>", status: .internalServerError)
        response.headers[Self.missingValuesHeader] = "\(template): \(list)"
        return response
    }

    /// An HTML response that is never cached.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `303 See Other` to a path of this site.
    static func redirect(_ path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        return Response(status: .seeOther, headers: headers)
    }
}

extension StaffRole {
    /// The role as staff call it.
    var vietnamese: String {
        switch self {
        case .admin: "Quản trị"
        case .officer: "Cán bộ"
        case .viewer: "Chỉ xem"
        }
    }
}
