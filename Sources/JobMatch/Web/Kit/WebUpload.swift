import Foundation
import Hummingbird

/// A `multipart/form-data` form with one file, read only after its CSRF token is checked (the
/// token is a field of the form itself), like every form of the web app.
struct WebUpload: Sendable {
    let fields: [String: String]
    let fileName: String?
    let file: [UInt8]?

    /// The form's fields and its file (at most `limit` bytes in all); 403 on a missing or wrong token
    /// or another site's `Origin`, 400 when the body is not multipart, 413 when it is too large.
    static func read(_ request: Request, context: AppRequestContext, fileField: String, limit: Int) async throws -> WebUpload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = type.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
        else {
            // Not an upload at all (a form without its file): still checked like any form first.
            _ = try await WebForm.read(request, context: context)
            throw AppError.invalid(field: fileField, "Hãy chọn tệp để tải lên.")
        }
        let body = try await request.body.collect(upTo: limit)
        let upload = Self.parse(Array(body.readableBytesView), boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                                fileField: fileField)
        // The same checks as every form: the Origin, the writer role, the session's token.
        let check = WebForm(pairs: [("_csrf", upload.fields["_csrf"] ?? "")])
        try WebForm.check(check, request: request, context: context, expectedToken: nil, allowViewer: false)
        return upload
    }

    /// The parts of a multipart body: text fields by name, and the one file under `fileField`.
    static func parse(_ bytes: [UInt8], boundary: String, fileField: String) -> WebUpload {
        let delimiter = Array(("--" + boundary).utf8)
        var fields: [String: String] = [:]
        var fileName: String?
        var file: [UInt8]?
        var starts: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: bytes, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            if partStart + 1 < bytes.count, bytes[partStart] == 13, bytes[partStart + 1] == 10 { partStart += 2 }
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: bytes, from: partStart), headerEnd < end else { continue }
            let headers = String(decoding: bytes[partStart..<headerEnd], as: UTF8.self)
            var contentEnd = end
            if contentEnd >= 2, bytes[contentEnd - 2] == 13, bytes[contentEnd - 1] == 10 { contentEnd -= 2 }
            let content = Array(bytes[(headerEnd + 4)..<max(headerEnd + 4, contentEnd)])
            guard let name = Self.parameter("name", in: headers) else { continue }
            if name == fileField {
                fileName = Self.parameter("filename", in: headers)
                file = content
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return WebUpload(fields: fields, fileName: fileName, file: file)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// `name="x"` in a part's `Content-Disposition`.
    private static func parameter(_ name: String, in headers: String) -> String? {
        guard let range = headers.range(of: "; \(name)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
