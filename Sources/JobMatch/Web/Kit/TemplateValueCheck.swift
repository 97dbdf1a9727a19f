import Foundation

/// Finds the values a page's template names but its caller did not give, which swift-mustache
/// renders silently as nothing. The templates are walked as the renderer walks them (sections
/// over lists and nested values, partials included), with the values before empty strings are
/// dropped; a `{{variable}}` that resolves nowhere on the stack, or only to `nil`, is missing.
/// Sections may name values that are absent (that is how a page hides a part).
/// The renderer runs it in strict mode, which the tests turn on.
struct TemplateValueCheck: Sendable {
    /// A template as a tree of the tags that matter here.
    indirect enum Node: Sendable {
        case variable(String)
        case section(String, [Node])
        case inverted(String, [Node])
        case partial(String)
    }

    /// A template that cannot be walked (an unclosed section, say).
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// A template drawn without some of its values (or not found, when `names` is empty).
    struct Missing: Error, CustomStringConvertible {
        let template: String
        let names: [String]
        var description: String { self.names.isEmpty ? "no template \(self.template)" : "\(self.template): \(self.names.joined(separator: ", "))" }
    }

    let templates: [String: [Node]]

    /// Every `*.mustache` file of `directory`, by name without the extension.
    static func load(directory: String) throws -> TemplateValueCheck {
        var templates: [String: [Node]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            templates[String(file.dropLast(".mustache".count))] = try Self.parse(text, name: file)
        }
        return TemplateValueCheck(templates: templates)
    }

    /// The names `template` (and the partials it includes) would render from nothing, each once,
    /// in the order met; empty when every value is given.
    func missing(in template: String, values: [String: Any]) -> [String] {
        guard let nodes = self.templates[template] else { return ["template \(template)"] }
        var missing: [String] = []
        self.walk(nodes, stack: [values], depth: 0, missing: &missing)
        return missing
    }

    private func walk(_ nodes: [Node], stack: [Any], depth: Int, missing: inout [String]) {
        guard depth < 32 else { return }
        for node in nodes {
            switch node {
            case .variable(let name):
                if Self.lookup(name, in: stack) == nil, !missing.contains(name) { missing.append(name) }
            case .section(let name, let children):
                switch Self.lookup(name, in: stack) {
                case .none: continue
                case .some(let list as [Any]):
                    for element in list { self.walk(children, stack: stack + [element], depth: depth + 1, missing: &missing) }
                case .some(let flag as Bool):
                    if flag { self.walk(children, stack: stack, depth: depth + 1, missing: &missing) }
                case .some(let text as String):
                    if !text.isEmpty { self.walk(children, stack: stack + [text], depth: depth + 1, missing: &missing) }
                case .some(let value):
                    self.walk(children, stack: stack + [value], depth: depth + 1, missing: &missing)
                }
            case .inverted(let name, let children):
                let shown: Bool =
                    switch Self.lookup(name, in: stack) {
                    case .none: true
                    case .some(let list as [Any]): list.isEmpty
                    case .some(let flag as Bool): !flag
                    case .some(let text as String): text.isEmpty
                    case .some: false
                    }
                if shown { self.walk(children, stack: stack, depth: depth + 1, missing: &missing) }
            case .partial(let name):
                if let partial = self.templates[name] {
                    self.walk(partial, stack: stack, depth: depth + 1, missing: &missing)
                } else if !missing.contains("partial \(name)") {
                    missing.append("partial \(name)")
                }
            }
        }
    }

    /// `name` (`.`, `a` or `a.b`) looked up the stack from the top, as swift-mustache does; nil
    /// when absent or `nil`.
    static func lookup(_ name: String, in stack: [Any]) -> Any? {
        if name == "." { return stack.last }
        let path = name.split(separator: ".").map(String.init)
        guard let first = path.first else { return nil }
        for object in stack.reversed() {
            guard let found = Self.child(first, of: object) else { continue }
            var value: Any? = found
            for key in path.dropFirst() { value = value.flatMap { Self.child(key, of: $0) } }
            return value
        }
        return nil
    }

    /// A dictionary's entry or a value's stored property; nil for a missing one or an empty optional.
    private static func child(_ name: String, of object: Any) -> Any? {
        let value: Any? =
            if let dictionary = object as? [String: Any] {
                dictionary[name]
            } else {
                Mirror(reflecting: object).children.first { $0.label == name }?.value
            }
        guard let value else { return nil }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map(\.value) }
        return value
    }

    /// The tags of a template (`{{name}}`, `{{{name}}}`, `{{&name}}`, `{{#name}}`, `{{^name}}`,
    /// `{{/name}}`, `{{>name}}`, `{{!comment}}`); other delimiters are not used here.
    static func parse(_ text: String, name: String) throws -> [Node] {
        var stack: [(name: String, inverted: Bool, nodes: [Node])] = [("", false, [])]
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let triple = rest[open.upperBound...].hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            let start = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[start...].range(of: closer) else { throw ParseError(description: "\(name): unclosed tag") }
            let tag = rest[start..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            let sigil = tag.first
            let body = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case _ where triple: stack[stack.count - 1].nodes.append(.variable(tag))
            case "!": continue
            case "=": throw ParseError(description: "\(name): delimiter changes are not supported")
            case "&": stack[stack.count - 1].nodes.append(.variable(body))
            case ">": stack[stack.count - 1].nodes.append(.partial(body))
            case "#", "^": stack.append((body, sigil == "^", []))
            case "/":
                guard stack.count > 1, let open = stack.popLast(), open.name == body else {
                    throw ParseError(description: "\(name): {{/\(body)}} closes nothing open")
                }
                stack[stack.count - 1].nodes.append(open.inverted ? .inverted(open.name, open.nodes) : .section(open.name, open.nodes))
            default: stack[stack.count - 1].nodes.append(.variable(tag))
            }
        }
        guard stack.count == 1 else { throw ParseError(description: "\(name): {{#\(stack[stack.count - 1].name)}} is never closed") }
        return stack[0].nodes
    }
}
