import Foundation

/// One labelled field of a form, as the `field` partial draws it (label, control, hint, error).
struct WebField {
    enum Kind: String { case text, date, number, tel, email, url, password, select, checkboxes, checkbox, textarea, file }

    let name: String
    let label: String
    var kind: Kind = .text
    var required = false
    var hint: String? = nil
    var options: [(value: String, label: String)] = []
    var maxLength: Int? = nil
    /// An HTML `pattern` the browser checks before sending (the server checks again).
    var pattern: String? = nil
    var autocomplete: String? = nil

    static func text(_ name: String, _ label: String, required: Bool = false, hint: String? = nil, maxLength: Int? = 200) -> WebField {
        WebField(name: name, label: label, required: required, hint: hint, maxLength: maxLength)
    }

    static func select(
        _ name: String,
        _ label: String,
        _ options: [(String, String)],
        required: Bool = false,
        hint: String? = nil,
        blank: String? = "— Chọn —"
    ) -> WebField {
        WebField(
            name: name,
            label: label,
            kind: .select,
            required: required,
            hint: hint,
            options: (blank.map { [("", $0)] } ?? []) + options.map { (value: $0.0, label: $0.1) }
        )
    }

    static func choices(_ name: String, _ label: String, _ options: [(String, String)], hint: String? = nil) -> WebField {
        WebField(name: name, label: label, kind: .checkboxes, hint: hint, options: options.map { (value: $0.0, label: $0.1) })
    }
}
