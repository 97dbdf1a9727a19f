import Foundation

/// What the API reference page (`api_reference.mustache`) shows of an OpenAPI document: the
/// operations with their parameters, bodies and responses, then every schema with its fields.
/// Plain text throughout (the template escapes it); flags instead of optional values, so that a
/// nested value never borrows its parent's through Mustache's context stack.
struct APIReference {
    /// A type in words: a link to a named schema, or a type with its format, items and limits.
    struct TypeText {
        let isLink: Bool
        let link: String
        let word: String
        /// The element type of an array (none or one; a list so that the partial can recurse).
        let items: [TypeText]
        let hasLimits: Bool
        let limits: String

        init(_ schema: OpenAPIDocument.Schema) {
            self.isLink = schema.ref != nil
            self.link = schema.refName ?? ""
            self.word = (schema.type ?? "") + (schema.format.map { " (\($0))" } ?? "")
            self.items = schema.items.map { [TypeText($0)] } ?? []
            let limits = schema.limits.map { "\($0.bound) \($0.value)" } + (schema.values.map { [$0.joined(separator: " | ")] } ?? [])
            self.hasLimits = !limits.isEmpty
            self.limits = limits.joined(separator: ", ")
        }
    }

    struct Parameter {
        let name: String
        let location: String
        let type: TypeText
        let required: Bool
        let description: String
    }

    struct Response {
        let status: String
        let description: String
        /// The body's type, when the response has one (none or one).
        let body: [TypeText]
    }

    struct Operation {
        let id: String
        let method: String
        let path: String
        let summary: String
        let parameters: [Parameter]
        let hasParameters: Bool
        /// The JSON body's type, when the operation takes one (none or one).
        let body: [TypeText]
        let responses: [Response]
    }

    struct Property {
        let name: String
        let type: TypeText
        let required: Bool
        let description: String
    }

    /// One of an enumeration's values, and whether another follows.
    struct Value {
        let text: String
        let comma: Bool
    }

    struct Schema {
        let name: String
        let isEnum: Bool
        let values: [Value]
        let hasProperties: Bool
        let properties: [Property]
        let closed: Bool
    }

    let title: String
    let version: String
    let paragraphs: [String]
    let operations: [Operation]
    let schemas: [Schema]

    init(_ document: OpenAPIDocument) {
        self.title = document.info.title ?? "API"
        self.version = document.info.version ?? ""
        self.paragraphs = (document.info.description ?? "").components(separatedBy: "\n\n").map { $0.replacingOccurrences(of: "\n", with: " ") }
        let paths = document.paths ?? [:]
        self.operations = paths.keys.sorted().flatMap { path in
            let item = paths[path]!
            return item.operations.map { method, operation in
                let parameters = ((item.parameters ?? []) + (operation.parameters ?? [])).compactMap(document.resolve).map { parameter in
                    Parameter(
                        name: parameter.name ?? "",
                        location: parameter.location ?? "",
                        type: TypeText(parameter.schema ?? .empty),
                        required: parameter.required ?? false,
                        description: parameter.description ?? ""
                    )
                }
                let responses = (operation.responses ?? [:]).sorted { $0.key < $1.key }.map { status, response in
                    Response(
                        status: status,
                        description: response.description ?? (response.ref != nil ? "lỗi (application/problem+json)" : ""),
                        body: response.content?.values.first?.schema.map { [TypeText($0)] } ?? []
                    )
                }
                return Operation(
                    id: operation.operationId ?? "\(method)\(path)",
                    method: method.uppercased(),
                    path: path,
                    summary: operation.summary ?? "",
                    parameters: parameters,
                    hasParameters: !parameters.isEmpty,
                    body: operation.requestBody?.content?["application/json"]?.schema.map { [TypeText($0)] } ?? [],
                    responses: responses
                )
            }
        }
        let schemas = document.components?.schemas ?? [:]
        self.schemas = schemas.keys.sorted().map { name in
            let schema = schemas[name]!
            let required = Set(schema.required ?? [])
            let properties = (schema.properties ?? [:]).sorted { $0.key < $1.key }.map { key, property in
                Property(name: key, type: TypeText(property), required: required.contains(key), description: property.description ?? "")
            }
            let values = schema.values ?? []
            return Schema(
                name: name,
                isEnum: schema.values != nil,
                values: values.enumerated().map { Value(text: $1, comma: $0 < values.count - 1) },
                hasProperties: schema.properties != nil,
                properties: properties,
                closed: schema.properties != nil && schema.closed == true
            )
        }
    }

    /// The values the template reads.
    var values: [String: Any] {
        ["title": self.title, "version": self.version, "paragraphs": self.paragraphs, "operations": self.operations, "schemas": self.schemas]
    }
}
