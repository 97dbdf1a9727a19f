import Crypto
import Foundation
import Hummingbird
import JobMatchCore

/// The fields of a submitted form (`application/x-www-form-urlencoded`), read only after its CSRF
/// token is checked: every form handler of the web app reads its body through this.
struct WebForm: Sendable {
    /// Every field in the order sent (a checkbox group sends one name several times).
    let pairs: [(String, String)]
    /// The last value of each name.
    var fields: [String: String] { Dictionary(self.pairs, uniquingKeysWith: { _, last in last }) }

    /// The form's fields; 403 unless `_csrf` equals the session's token (or, before sign-in,
    /// `expectedToken`), and the request comes from this site when the browser says where from.
    /// `allowViewer`: a form that only reads (a search), which viewers may post too.
    static func read(_ request: Request, context: AppRequestContext, expectedToken: String? = nil, allowViewer: Bool = false) async throws -> WebForm
    {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = WebForm(pairs: Self.parse(String(buffer: body)))
        try Self.check(form, request: request, context: context, expectedToken: expectedToken, allowViewer: allowViewer)
        return form
    }

    /// The checks every form passes: the browser says it comes from this site (when it says), a
    /// viewer only reads, and `_csrf` equals the session's token (or `expectedToken`).
    static func check(_ form: WebForm, request: Request, context: AppRequestContext, expectedToken: String?, allowViewer: Bool) throws {
        if let origin = request.headers[.origin] {
            let host = request.head.authority
            guard let host, let from = URL(string: origin)?.host, host == from || host.hasPrefix(from + ":") else { throw AppError.forbidden }
        }
        if !allowViewer, context.webSession?.role.canWrite == false { throw AppError.forbidden }
        // An empty expected token (no sign-in cookie) matches nothing, not an empty `_csrf`.
        guard let expected = expectedToken ?? context.webSession?.csrfToken, !expected.isEmpty, let given = form.fields["_csrf"],
            !given.isEmpty, Self.constantTimeEqual(given, expected)
        else {
            throw AppError(
                .forbidden,
                kind: "csrf",
                title: "Biểu mẫu đã hết hạn hoặc không hợp lệ",
                detail: "Hãy tải lại trang rồi gửi lại."
            )
        }
    }

    /// A text field, NFC, trimmed and single-spaced; nil when absent or empty.
    func text(_ name: String) -> String? {
        guard let raw = self.fields[name] else { return nil }
        let clean = CleanText.normalize(raw)
        return clean.isEmpty ? nil : clean
    }

    /// Every non-empty value sent under `name` (checkboxes, multiple selects), NFC and trimmed.
    func values(_ name: String) -> [String] {
        self.pairs.filter { $0.0 == name }.map { CleanText.normalize($0.1) }.filter { !$0.isEmpty }
    }

    /// A checkbox: true when ticked.
    func flag(_ name: String) -> Bool { self.fields[name] != nil }

    /// The text of a required field; 422 with `message` at `name` when empty.
    func required(_ name: String, _ message: String) throws -> String {
        guard let text = self.text(name) else { throw AppError.invalid(field: name, message) }
        return text
    }

    /// A whole number (dots and spaces between thousands allowed); nil when empty; 422 at `name` otherwise.
    func integer(_ name: String, label: String) throws -> Int64? {
        guard let text = self.text(name) else { return nil }
        let digits = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
        guard let value = Int64(digits) else { throw AppError.invalid(field: name, "\(label) phải là một số nguyên, ví dụ 12.") }
        return value
    }

    /// A whole number that fits an `Int` field (a distance, a number of months); nil when empty; 422 at `name` otherwise.
    func int(_ name: String, label: String) throws -> Int? {
        guard let value = try self.integer(name, label: label) else { return nil }
        guard let small = Int(exactly: value) else { throw AppError.invalid(field: name, "\(label) phải là một số nguyên, ví dụ 12.") }
        return small
    }

    /// A required whole number.
    func requiredInteger(_ name: String, label: String) throws -> Int64 {
        guard let value = try self.integer(name, label: label) else { throw AppError.invalid(field: name, "Hãy nhập \(label.lowercased()).") }
        return value
    }

    /// A required date typed `dd/mm/yyyy`, as the API's `yyyy-mm-dd`.
    func requiredDate(_ name: String, label: String) throws -> String {
        guard let date = try WebDates.iso(self.text(name), field: name) else {
            throw AppError.invalid(field: name, "Hãy nhập \(label.lowercased()).")
        }
        return date
    }

    /// An optional date typed `dd/mm/yyyy`, as the API's `yyyy-mm-dd`; nil when empty.
    func date(_ name: String) throws -> String? {
        try WebDates.iso(self.text(name), field: name)
    }

    /// An occupation: the one chosen in the list, or the code typed in `other` (which wins when both are given).
    func occupation(_ name: String = "occupation_code", other: String = "occupation_other") throws -> String {
        if let typed = self.text(other) { return typed }
        return try self.required(name, "Hãy chọn nghề, hoặc nhập mã nghề khác.")
    }

    /// `a=1&b=x+y` into name-value pairs in order; bad escapes are kept as typed.
    static func parse(_ body: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            fields.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
        return fields
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
