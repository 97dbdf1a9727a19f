import Foundation
import Hummingbird
import NIOCore

/// Calls a handler of the staff API from a page, with the JSON body a form stands for: a page
/// validates, checks, writes and audits exactly as the API does, and an error names the same field.
enum WebAPI {
    /// `handler` run as if `method path` had been requested with `json` as its body and `parameters`
    /// as the route's parameters (`["id": "12"]`), by the signed-in staff member.
    static func call<Output>(_ handler: (Request, AppRequestContext) async throws -> Output, json: [String: Any] = [:],
                             parameters: [String: String] = [:], method: HTTPRequest.Method = .post, path: String = "/web",
                             context: AppRequestContext) async throws -> Output {
        var context = context
        for (name, value) in parameters { context.coreContext.parameters[Substring(name)] = Substring(value) }
        let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        var head = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path)
        head.headerFields[.contentType] = "application/json"
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
        return try await handler(request, context)
    }
}
