import Foundation
import Yams

/// The part of an OpenAPI 3.1 document the reference page shows, decoded with Yams (already a
/// dependency, and the page needs only these few fields: OpenAPIKit's full model of the
/// specification would be a second, much larger parser of the same file).
struct OpenAPIDocument: Decodable {
    struct Info: Decodable {
        let title: String?
        let version: String?
        let description: String?
    }

    /// One path's operations and the parameters they share.
    struct PathItem: Decodable {
        let get: Operation?
        let post: Operation?
        let put: Operation?
        let delete: Operation?
        let parameters: [Parameter]?

        /// The operations in the page's order, with their lower-case method.
        var operations: [(method: String, operation: Operation)] {
            [("get", self.get), ("post", self.post), ("put", self.put), ("delete", self.delete)].compactMap { method, operation in
                operation.map { (method, $0) }
            }
        }
    }

    struct Operation: Decodable {
        let operationId: String?
        let summary: String?
        let parameters: [Parameter]?
        let requestBody: Body?
        let responses: [String: Response]?
    }

    /// A parameter, or a `$ref` to one under `components.parameters`.
    struct Parameter: Decodable {
        let ref: String?
        let name: String?
        let location: String?
        let required: Bool?
        let description: String?
        let schema: Schema?

        enum CodingKeys: String, CodingKey {
            case ref = "$ref"
            case name, required, description, schema
            case location = "in"
        }
    }

    struct Body: Decodable {
        let content: [String: MediaType]?
    }

    struct MediaType: Decodable {
        let schema: Schema?
    }

    /// A response, or a `$ref` to a shared one.
    struct Response: Decodable {
        let ref: String?
        let description: String?
        let content: [String: MediaType]?

        enum CodingKeys: String, CodingKey {
            case ref = "$ref"
            case description, content
        }
    }

    /// A schema: a `$ref`, or a type with its format, items, limits, values and fields.
    final class Schema: Decodable {
        let ref: String?
        let type: String?
        let format: String?
        let items: Schema?
        let description: String?
        let values: [String]?
        let properties: [String: Schema]?
        let required: [String]?
        /// true when fields not listed are refused (`additionalProperties: false`).
        let closed: Bool?
        /// `minLength`, `minimum`, `minItems`, then the maxima, as written.
        let limits: [(bound: String, value: String)]

        enum CodingKeys: String, CodingKey {
            case ref = "$ref"
            case type, format, items, description, properties, required
            case values = "enum"
            case closed = "additionalProperties"
            case minLength, minimum, minItems, maxLength, maximum, maxItems
        }

        /// A schema that says nothing (a parameter written without one).
        static var empty: Schema { Schema() }

        private init() {
            (self.ref, self.type, self.format, self.items, self.description) = (nil, nil, nil, nil, nil)
            (self.values, self.properties, self.required, self.closed, self.limits) = (nil, nil, nil, nil, [])
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.ref = try container.decodeIfPresent(String.self, forKey: .ref)
            // `type` may be a list in OpenAPI 3.1; the page shows only a single one.
            self.type = try? container.decodeIfPresent(String.self, forKey: .type)
            self.format = try container.decodeIfPresent(String.self, forKey: .format)
            self.items = try container.decodeIfPresent(Schema.self, forKey: .items)
            self.description = try container.decodeIfPresent(String.self, forKey: .description)
            self.values = try container.decodeIfPresent([String].self, forKey: .values)
            self.properties = try container.decodeIfPresent([String: Schema].self, forKey: .properties)
            self.required = try container.decodeIfPresent([String].self, forKey: .required)
            self.closed = (try? container.decodeIfPresent(Bool.self, forKey: .closed)).flatMap { $0 }.map { !$0 }
            var limits: [(String, String)] = []
            let bounds: [(CodingKeys, String)] = [
                (.minLength, "≥"), (.minimum, "≥"), (.minItems, "≥"), (.maxLength, "≤"), (.maximum, "≤"), (.maxItems, "≤"),
            ]
            for (key, bound) in bounds {
                if let whole = try? container.decodeIfPresent(Int.self, forKey: key) {
                    limits.append((bound, "\(whole)"))
                } else if let number = try container.decodeIfPresent(Double.self, forKey: key) {
                    limits.append((bound, "\(number)"))
                }
            }
            self.limits = limits
        }

        /// The name a `$ref` points to (its last path component).
        var refName: String? { self.ref.map { String($0.split(separator: "/").last ?? "") } }
    }

    struct Components: Decodable {
        let schemas: [String: Schema]?
        let parameters: [String: Parameter]?
    }

    let info: Info
    let paths: [String: PathItem]?
    let components: Components?

    /// The document as written in YAML.
    static func parse(_ yaml: String) throws -> OpenAPIDocument {
        try YAMLDecoder().decode(OpenAPIDocument.self, from: yaml)
    }

    /// A parameter itself, following a `$ref` into `components.parameters`.
    func resolve(_ parameter: Parameter) -> Parameter? {
        guard let ref = parameter.ref else { return parameter }
        return self.components?.parameters?[String(ref.split(separator: "/").last ?? "")]
    }
}
