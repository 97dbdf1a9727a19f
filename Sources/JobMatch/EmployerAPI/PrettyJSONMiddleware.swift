import Foundation
import HTTPTypes
import Hummingbird

/// The employer API answers compact JSON; a client that adds `?pretty` (or `pretty=true`/`1`)
/// gets a successful JSON answer indented, with its keys sorted, for reading by eye.
struct PrettyJSONMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard Self.asksForPretty(request.uri.query),
            let type = response.headers[.contentType], type.hasPrefix("application/json") || type.hasPrefix("application/problem+json")
        else { return response }
        let collected = try await IdempotencyMiddleware.collect(response)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: collected.body), options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            return Response(status: collected.status, headers: collected.headers, body: .init(byteBuffer: collected.body))
        }
        var headers = collected.headers
        headers[.contentLength] = nil
        return Response(status: collected.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: pretty)))
    }

    /// Whether the query string has `pretty`, `pretty=`, `pretty=true` or `pretty=1`.
    static func asksForPretty(_ query: String?) -> Bool {
        guard let query, query.contains("pretty") else { return false }
        return query.split(separator: "&").contains { item in
            ["pretty", "pretty=", "pretty=true", "pretty=1"].contains(item)
        }
    }
}
