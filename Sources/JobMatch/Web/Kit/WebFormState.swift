import Foundation

/// A form being filled: what was typed (kept when the server refuses it) and the error of each field.
struct WebFormState {
    var values: [String: [String]] = [:]
    var errors: [String: String] = [:]
    /// An error that belongs to no field of the form.
    var message: String? = nil

    init(values: [String: [String]] = [:]) {
        self.values = values
    }

    /// What the browser sent, to show again.
    init(_ form: WebForm) {
        for (name, value) in form.pairs where name != "_csrf" { self.values[name, default: []].append(value) }
    }

    /// The error the API gave, put next to its field (`occupation_codes[1]` belongs to `occupation_codes`)
    /// when the form has that field, or above the form.
    mutating func add(_ error: AppError, fields: [WebField]) {
        let base = error.field.map { String($0.prefix { $0 != "[" && $0 != "." }) }
        let text = error.detail ?? error.title
        if let base, fields.contains(where: { $0.name == base }) {
            self.errors[base] = text
        } else {
            self.message = text
        }
    }

    /// The fields as the `field` partial reads them; the first field in error gets the focus.
    func render(_ fields: [WebField]) -> [[String: Any]] {
        var focused = false
        return fields.map { field in
            let current = self.values[field.name] ?? []
            var values: [String: Any] = [
                "name": field.name, "id": "f-" + field.name, "label": field.label, "type": field.kind.rawValue,
                "value": current.first ?? "", "required": field.required,
                "is_"
                    + (field.kind == .checkbox
                        ? "checkbox"
                        : field.kind == .select
                            ? "select"
                            : field.kind == .checkboxes
                                ? "checkboxes"
                                : field.kind == .textarea ? "textarea" : "input"): true,
                "checked": field.kind == .checkbox && !current.isEmpty,
                "hint": field.hint ?? "", "maxLength": field.maxLength.map(String.init) ?? "", "pattern": field.pattern ?? "",
                "autocomplete": field.autocomplete ?? "", "error": self.errors[field.name] ?? "",
                "options": field.options.map { option -> [String: Any] in
                    ["value": option.value, "text": option.label, "selected": current.contains(option.value)]
                },
            ]
            if self.errors[field.name] != nil, !focused {
                values["autofocus"] = true
                focused = true
            }
            return values
        }
    }
}
