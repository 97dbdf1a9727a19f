import EmployerAPI
import Foundation
import Hummingbird

/// The employer API contract, served without a key: `GET /api/v1/openapi.yaml` (the document the
/// server code is generated from) and `GET /api/v1/docs`, a reference page drawn once at start by
/// the `api_reference` template from that document (no JavaScript, no external CDN or font: it
/// works on an offline LAN).
struct APIDocsRoutes {
    let yaml: String
    let html: String

    init(renderer: WebRenderer) throws {
        guard let yaml = EmployerAPIContract.document else { throw AppError.notFound("tài liệu OpenAPI") }
        self.yaml = yaml
        self.html = try renderer.render("api_reference", values: APIReference(try OpenAPIDocument.parse(yaml)).values)
    }

    func register(on router: Router<AppRequestContext>) {
        let yaml = self.yaml
        let html = self.html
        router.get("api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: yaml))
            )
        }
        router.get("api/v1/docs") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: html))
            )
        }
        router.get("api/v1/docs.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: Self.css))
            )
        }
    }

    /// The reference page's stylesheet (same origin, so the page needs nothing from outside).
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
