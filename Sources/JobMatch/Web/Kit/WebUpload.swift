import Foundation
import Hummingbird
import NIOCore

/// A `multipart/form-data` form with one file, read only after its CSRF token is checked (the
/// token is a field of the form itself), like every form of the web app.
struct WebUpload: Sendable {
    let fields: [String: String]
    let fileName: String?
    let file: [UInt8]?

    /// The form's fields and its file (at most `limit` bytes in all, parsed as they arrive): 403 on a
    /// missing or wrong token or another site's `Origin`; `NIOTooManyBytesError` past `limit`; 422
    /// at `fileField` when the body is not multipart, is cut short or malformed, or holds two files.
    static func read(_ request: Request, context: AppRequestContext, fileField: String, limit: Int) async throws -> WebUpload {
        guard let boundary = Self.boundary(request.headers[.contentType]), let reader = MultipartFormReader(boundary: boundary, fileField: fileField)
        else {
            // Not an upload at all (a form without its file): still checked like any form first.
            _ = try await WebForm.read(request, context: context)
            throw AppError.invalid(field: fileField, "Hãy chọn tệp để tải lên.")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw NIOTooManyBytesError(maxBytes: limit) }
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            guard received <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            reader.feed(chunk)
        }
        let upload: WebUpload?
        do {
            upload = try reader.finish()
        } catch {
            upload = nil
        }
        // The same checks as every form: the Origin, the writer role, the session's token, taken
        // from what could be read (a damaged body without its token is refused as forged).
        let check = WebForm(pairs: [("_csrf", reader.fields["_csrf"] ?? "")])
        try WebForm.check(check, request: request, context: context, expectedToken: nil, allowViewer: false)
        guard let upload else { throw AppError.invalid(field: fileField, (reader.problem ?? .malformed).message) }
        return upload
    }

    /// The parts of a whole multipart body (fed to the reader in pieces of `chunk` bytes, as the
    /// network would hand them over); throws `MultipartFormReader.Problem`.
    static func parse(_ bytes: [UInt8], boundary: String, fileField: String, chunk: Int = .max) throws -> WebUpload {
        guard let reader = MultipartFormReader(boundary: boundary, fileField: fileField) else { throw MultipartFormReader.Problem.malformed }
        var start = 0
        repeat {
            let end = min(bytes.count, start + max(1, chunk))
            reader.feed(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        } while start < bytes.count
        return try reader.finish()
    }

    /// The `boundary` parameter of a `multipart/form-data` content type (quotes removed); nil for
    /// another type or a missing or empty boundary.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = MultipartFormReader.parameters(contentType)["boundary"], !boundary.isEmpty
        else { return nil }
        return boundary
    }
}
