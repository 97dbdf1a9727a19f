import Foundation
import Hummingbird
import JobMatchCore

/// An error a client can act on: an HTTP status and an RFC 9457 problem body in Vietnamese,
/// naming the offending field where there is one.
public struct AppError: Error, Sendable {
    public let status: HTTPResponse.Status
    /// Short machine-readable kind, used in the problem `type`.
    public let kind: String
    public let title: String
    public let detail: String?
    public let field: String?
    /// Extra members of the problem body (for example `existing_id`).
    public let extra: [String: Int64]
    /// The steps allowed from here, for a refused state change (the problem's `allowed`).
    public var allowed: [String]?
    /// Seconds after which a retry may succeed (`Retry-After`), for 429 and some 409s.
    public var retryAfterSeconds: Int? = nil

    public init(
        _ status: HTTPResponse.Status,
        kind: String,
        title: String,
        detail: String? = nil,
        field: String? = nil,
        extra: [String: Int64] = [:]
    ) {
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.field = field
        self.extra = extra
    }

    /// A field failed validation.
    public static func invalid(_ error: FieldError) -> AppError {
        AppError(.unprocessableContent, kind: "validation", title: "Dữ liệu không hợp lệ", detail: error.message, field: error.field)
    }

    public static func invalid(field: String, _ message: String) -> AppError {
        .invalid(FieldError(field: field, message: message))
    }

    public static func notFound(_ what: String) -> AppError {
        AppError(.notFound, kind: "not-found", title: "Không tìm thấy", detail: "Không tìm thấy \(what).")
    }

    public static func conflict(_ detail: String, field: String? = nil, extra: [String: Int64] = [:]) -> AppError {
        AppError(.conflict, kind: "conflict", title: "Xung đột dữ liệu", detail: detail, field: field, extra: extra)
    }

    public static let unauthorized = AppError(
        .unauthorized,
        kind: "unauthorized",
        title: "Chưa xác thực",
        detail: "Cần gửi khóa truy cập hợp lệ trong tiêu đề Authorization: Bearer <khóa>."
    )

    /// Too many requests for one key: wait `seconds`.
    public static func tooManyRequests(retryAfter seconds: Int) -> AppError {
        var error = AppError(
            .tooManyRequests,
            kind: "rate-limited",
            title: "Quá nhiều yêu cầu",
            detail: "Khóa này đã gửi quá nhiều yêu cầu; hãy thử lại sau \(seconds) giây."
        )
        error.retryAfterSeconds = seconds
        return error
    }

    public static let forbidden = AppError(
        .forbidden,
        kind: "forbidden",
        title: "Không có quyền",
        detail: "Tài khoản này không được phép thực hiện thao tác này."
    )
}

extension AppError: HTTPResponseError {
    public var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/problem+json"]
        if self.status == .unauthorized { fields[.wwwAuthenticate] = "Bearer" }
        if let retryAfterSeconds { fields[.retryAfter] = "\(retryAfterSeconds)" }
        return fields
    }

    public func body(allocator: ByteBufferAllocator) -> ByteBuffer? {
        var object: [String: Any] = [
            "type": "urn:jobmatch:problem:\(self.kind)", "title": self.title, "status": self.status.code,
        ]
        if let detail { object["detail"] = detail }
        if let field { object["field"] = field }
        for (key, value) in self.extra { object[key] = value }
        if let allowed = self.allowed { object["allowed"] = allowed }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return allocator.buffer(bytes: data)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: self.status, headers: self.headers, body: .init(byteBuffer: self.body(allocator: ByteBufferAllocator())!))
    }
}

extension AppError {
    /// The database is busy (every connection taken, or a statement ran past its time): nothing
    /// was written; retry after `Retry-After`.
    static var databaseBusy: AppError {
        var error = AppError(
            .serviceUnavailable,
            kind: "database-busy",
            title: "Hệ thống đang bận",
            detail: "Cơ sở dữ liệu đang bận nên yêu cầu chưa được xử lý và không có gì được ghi; hãy thử lại sau ít giây."
        )
        error.retryAfterSeconds = 5
        return error
    }

    /// Too many exports are being downloaded at once: wait `seconds`.
    static func tooManyExports(retryAfter seconds: Int) -> AppError {
        var error = AppError(
            .tooManyRequests,
            kind: "too-many-exports",
            title: "Quá nhiều tệp đang được tải",
            detail: "Đang có quá nhiều tệp xuất được tải cùng lúc; hãy thử lại sau \(seconds) giây."
        )
        error.retryAfterSeconds = seconds
        return error
    }
}
