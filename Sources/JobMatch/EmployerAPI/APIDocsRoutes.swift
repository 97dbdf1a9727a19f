import EmployerAPI
import Foundation
import Hummingbird
import Yams

/// The employer API contract, served without a key: `GET /api/v1/openapi.yaml` (the document the
/// server code is generated from) and `GET /api/v1/docs`, a reference page rendered on the server
/// from that document (no JavaScript, no external CDN or font: it works on an offline LAN).
struct APIDocsRoutes {
    let yaml: String
    let html: String

    init() throws {
        guard let yaml = EmployerAPIContract.document else { throw AppError.notFound("tài liệu OpenAPI") }
        self.yaml = yaml
        self.html = APIReferencePage.render(try Yams.load(yaml: yaml) as? [String: Any] ?? [:])
    }

    func register(on router: Router<AppRequestContext>) {
        let yaml = self.yaml
        let html = self.html
        router.get("api/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: yaml)))
        }
        router.get("api/v1/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("api/v1/docs.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: APIReferencePage.css)))
        }
    }
}

/// Renders an OpenAPI 3.1 document as one HTML page: operations with their parameters, bodies
/// and responses, then every schema with its fields, types and limits.
enum APIReferencePage {
    static func render(_ document: [String: Any]) -> String {
        let info = document["info"] as? [String: Any] ?? [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        let parameters = (document["components"] as? [String: Any])?["parameters"] as? [String: Any] ?? [:]
        var html = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(info["title"] as? String ?? "API"))</title><link rel="stylesheet" href="/api/v1/docs.css"></head>
            <body><main><h1>\(escape(info["title"] as? String ?? "API")) <small>\(escape(info["version"] as? String ?? ""))</small></h1>
            <p>Tài liệu máy đọc: <a href="/api/v1/openapi.yaml">openapi.yaml</a>. Mọi đường dẫn bắt đầu bằng <code>/api/v1</code>;
            mọi lệnh gọi cần <code>Authorization: Bearer &lt;khóa API&gt;</code>.</p>
            \(paragraphs(info["description"] as? String ?? ""))
            <nav><h2>Thao tác</h2><ul>
            """
        let methods = ["get", "post", "put", "delete"]
        var operations: [(path: String, method: String, operation: [String: Any], shared: [Any])] = []
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            for method in methods {
                if let operation = item[method] as? [String: Any] {
                    operations.append((path, method, operation, item["parameters"] as? [Any] ?? []))
                }
            }
        }
        for (path, method, operation, _) in operations {
            let id = operation["operationId"] as? String ?? "\(method)\(path)"
            html += "<li><a href=\"#\(escape(id))\"><code>\(method.uppercased()) \(escape(path))</code></a> \(escape(operation["summary"] as? String ?? ""))</li>"
        }
        html += "</ul></nav>"
        for (path, method, operation, shared) in operations {
            let id = operation["operationId"] as? String ?? "\(method)\(path)"
            html += "<section id=\"\(escape(id))\"><h2><code>\(method.uppercased()) /api/v1\(escape(path))</code></h2>"
            html += "<p>\(escape(operation["summary"] as? String ?? ""))</p>"
            let all = (shared + (operation["parameters"] as? [Any] ?? [])).compactMap { resolve($0, parameters) }
            if !all.isEmpty {
                html += "<h3>Tham số</h3><table><tr><th>tên</th><th>ở</th><th>kiểu</th><th>bắt buộc</th><th>mô tả</th></tr>"
                for parameter in all {
                    let schema = parameter["schema"] as? [String: Any] ?? [:]
                    html += "<tr><td><code>\(escape(parameter["name"] as? String ?? ""))</code></td><td>\(escape(parameter["in"] as? String ?? ""))</td>"
                    html += "<td>\(type(schema))</td><td>\((parameter["required"] as? Bool ?? false) ? "có" : "")</td>"
                    html += "<td>\(escape(parameter["description"] as? String ?? ""))</td></tr>"
                }
                html += "</table>"
            }
            if let body = operation["requestBody"] as? [String: Any],
                let schema = ((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] {
                html += "<h3>Nội dung gửi lên</h3><p>JSON: \(type(schema))</p>"
            }
            html += "<h3>Trả lời</h3><ul>"
            for (status, value) in (operation["responses"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let response = value as? [String: Any] ?? [:]
                let description = response["description"] as? String ?? (response["$ref"] != nil ? "lỗi (application/problem+json)" : "")
                var schemaText = ""
                if let content = response["content"] as? [String: Any], let first = content.values.first as? [String: Any],
                    let schema = first["schema"] as? [String: Any] {
                    schemaText = " — " + type(schema)
                }
                html += "<li><code>\(escape(status))</code> \(escape(description))\(schemaText)</li>"
            }
            html += "</ul></section>"
        }
        html += "<h2>Kiểu dữ liệu</h2>"
        for name in schemas.keys.sorted() {
            guard let schema = schemas[name] as? [String: Any] else { continue }
            html += "<section id=\"schema-\(escape(name))\"><h3>\(escape(name))</h3>"
            if let values = schema["enum"] as? [Any] {
                html += "<p>Một trong: \(values.map { "<code>\(escape("\($0)"))</code>" }.joined(separator: ", "))</p>"
            }
            if let properties = schema["properties"] as? [String: Any] {
                let required = Set(schema["required"] as? [String] ?? [])
                html += "<table><tr><th>trường</th><th>kiểu</th><th>bắt buộc</th><th>mô tả</th></tr>"
                for key in properties.keys.sorted() {
                    let property = properties[key] as? [String: Any] ?? [:]
                    html += "<tr><td><code>\(escape(key))</code></td><td>\(type(property))</td><td>\(required.contains(key) ? "có" : "")</td>"
                    html += "<td>\(escape(property["description"] as? String ?? ""))</td></tr>"
                }
                html += "</table>"
                if schema["additionalProperties"] as? Bool == false { html += "<p>Trường không có trong bảng sẽ bị từ chối.</p>" }
            }
            html += "</section>"
        }
        return html + "</main></body></html>\n"
    }

    /// A schema's type in words, with a link to a named schema and its limits.
    static func type(_ schema: [String: Any]) -> String {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            return "<a href=\"#schema-\(escape(name))\">\(escape(name))</a>"
        }
        var text = escape(schema["type"] as? String ?? "")
        if let format = schema["format"] as? String { text += " (\(escape(format)))" }
        if let items = schema["items"] as? [String: Any] { text += " của " + type(items) }
        var limits: [String] = []
        for (key, word) in [("minLength", "≥"), ("minimum", "≥"), ("minItems", "≥")] { if let v = schema[key] { limits.append("\(word) \(v)") } }
        for (key, word) in [("maxLength", "≤"), ("maximum", "≤"), ("maxItems", "≤")] { if let v = schema[key] { limits.append("\(word) \(v)") } }
        if let values = schema["enum"] as? [Any] { limits.append(values.map { "\($0)" }.joined(separator: " | ")) }
        return text + (limits.isEmpty ? "" : " <small>\(escape(limits.joined(separator: ", ")))</small>")
    }

    private static func resolve(_ value: Any, _ parameters: [String: Any]) -> [String: Any]? {
        guard let parameter = value as? [String: Any] else { return nil }
        if let ref = parameter["$ref"] as? String, let name = ref.split(separator: "/").last {
            return parameters[String(name)] as? [String: Any]
        }
        return parameter
    }

    private static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>\(escape($0).replacingOccurrences(of: "\n", with: " "))</p>" }.joined()
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static let css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f23; background: #fafafa; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        code { background: #f0f0f0; padding: 0 0.2rem; border-radius: 3px; }
        small { color: #555; }
        """
}
