import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body (snake_case keys) of at most 1 MiB; a malformed body or a missing
    /// or mistyped field becomes a 400 problem that names the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await self.body.collect(upTo: 1 << 20)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw AppError.badBody(error)
        }
    }
}

extension AppError {
    /// A body that is not the JSON expected, pointing at the field when known.
    static func badBody(_ error: DecodingError) -> AppError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String? {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
            return text.isEmpty ? nil : text
        }
        let (field, message): (String?, String)
        switch error {
        case .keyNotFound(let key, let context):
            (field, message) = (path(context, key), "Thiếu trường bắt buộc \(path(context, key) ?? "").")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            (field, message) = (path(context), "Trường \(path(context) ?? "") có kiểu dữ liệu không đúng.")
        case .dataCorrupted(let context) where context.debugDescription.lowercased().contains("additional"):
            (field, message) = (path(context), "Trường \(path(context) ?? "") không có trong đặc tả API.")
        case .dataCorrupted(let context):
            (field, message) = (
                path(context),
                path(context) == nil ? "Nội dung gửi lên không phải JSON hợp lệ." : "Giá trị của trường \(path(context)!) không hợp lệ."
            )
        @unknown default:
            (field, message) = (nil, "Nội dung gửi lên không hợp lệ.")
        }
        return AppError(.badRequest, kind: "bad-request", title: "Yêu cầu không hợp lệ", detail: message, field: field)
    }
}

/// `occupationCodes` -> `occupation_codes`, so error fields match the JSON the client sent.
func snakeCase(_ name: String) -> String {
    var result = ""
    for character in name {
        if character.isUppercase {
            result += "_" + character.lowercased()
        } else {
            result.append(character)
        }
    }
    return result
}
