import Hummingbird
import JobMatchCore
import Logging
import NIOCore
import OpenAPIRuntime
import PostgresNIO
import _ConnectionPoolModule

/// Turns every error into an `application/problem+json` response: domain errors keep their
/// status, database errors are mapped here and nowhere else, and nothing internal (a stack trace,
/// a SQL message) ever reaches the client.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.problem(for: error, logger: context.logger).response(from: request, context: context)
        }
    }

    /// The problem a client sees for `error`.
    static func problem(for error: any Error, logger: Logger) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as FieldError:
            return .invalid(error)
        case let error as PostgresTransactionError:
            // A transaction rolled back: report why it failed, not the wrapper.
            guard let cause = error.closureError ?? error.commitError ?? error.beginError else {
                return Self.databaseUnavailable
            }
            return Self.problem(for: cause, logger: logger)
        case let error as ServerError:
            // The generated employer API wraps handler and decoding errors; what it raises itself
            // (a wrong Content-Type, a missing parameter) carries its own 4xx status.
            let known: Bool =
                switch error.underlyingError {
                case is AppError, is FieldError, is DecodingError, is PostgresTransactionError, is PSQLError, is NIOTooManyBytesError, is HTTPError:
                    true
                default: false
                }
            if !known, (400..<500).contains(error.httpStatus.code) {
                return AppError(
                    error.httpStatus,
                    kind: "http",
                    title: Self.vietnameseTitle(error.httpStatus),
                    detail: error.httpStatus == .unsupportedMediaType ? "Nội dung phải là JSON (Content-Type: application/json)." : nil
                )
            }
            return Self.problem(for: error.underlyingError, logger: logger)
        case let error as DecodingError:
            return .badBody(error)
        case is NIOTooManyBytesError:
            return AppError(
                .contentTooLarge,
                kind: "too-large",
                title: Self.vietnameseTitle(.contentTooLarge),
                detail: "Nội dung gửi lên vượt quá 1 MiB."
            )
        case let error as HTTPError:
            return AppError(error.status, kind: "http", title: Self.vietnameseTitle(error.status), detail: nil)
        case let error as PSQLError:
            return Self.problem(for: error, logger: logger)
        case is ConnectionPoolError:
            // No connection to be had (the database is down or restarting): try again soon.
            return Self.databaseUnavailable
        default:
            logger.error("Unhandled error", metadata: ["error_type": "\(type(of: error))"])
            return AppError(
                .internalServerError,
                kind: "internal",
                title: "Lỗi hệ thống",
                detail: "Đã có lỗi xảy ra; dữ liệu không bị thay đổi. Vui lòng thử lại hoặc báo cho quản trị viên."
            )
        }
    }

    /// Vietnamese titles for the HTTP errors Hummingbird itself raises.
    static func vietnameseTitle(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ"
        case 404: "Không tìm thấy"
        case 405: "Phương thức không được hỗ trợ"
        case 413: "Nội dung gửi lên quá lớn (tối đa 1 MiB)"
        case 415: "Kiểu nội dung không được hỗ trợ"
        default: status.reasonPhrase
        }
    }

    static var databaseUnavailable: AppError {
        var error = AppError(
            .serviceUnavailable,
            kind: "database-unavailable",
            title: "Cơ sở dữ liệu tạm thời không truy cập được",
            detail: "Vui lòng thử lại sau ít phút."
        )
        error.retryAfterSeconds = 5
        return error
    }

    /// Constraint violations become 409/422; a lost database becomes 503.
    static func problem(for error: PSQLError, logger: Logger) -> AppError {
        let state = error.serverInfo?[.sqlState]
        let constraint = error.serverInfo?[.constraintName]
        logger.warning("Database error", metadata: ["sqlstate": "\(state ?? "none")", "constraint": "\(constraint ?? "")", "code": "\(error.code)"])
        switch state {
        case "23505", "23P01":
            return .conflict("Bản ghi trùng với một bản ghi đã có (\(constraint ?? "ràng buộc duy nhất")).")
        case "23503", "23514", "23502", "22001", "22003", "22007", "22008", "22P02":
            return AppError(
                .unprocessableContent,
                kind: "validation",
                title: "Dữ liệu không hợp lệ",
                detail: "Cơ sở dữ liệu từ chối giá trị (\(constraint ?? "kiểm tra dữ liệu"))."
            )
        case "40001", "40P01":
            return AppError(
                .serviceUnavailable,
                kind: "retry",
                title: "Xin thử lại",
                detail: "Thao tác trùng thời điểm với thao tác khác; hãy gửi lại."
            )
        case "57014", "55P03", "25P03":
            // statement_timeout, lock_timeout or idle_in_transaction_session_timeout ended the work:
            // nothing was committed, and the database is busy rather than gone.
            return .databaseBusy
        case nil:
            return Self.databaseUnavailable
        case let state? where state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state):
            // The connection was lost or refused (the server shut down or crashed, is starting up,
            // or has no free slot): nothing was committed by this request, so a retry is right.
            return Self.databaseUnavailable
        default:
            return AppError(
                .internalServerError,
                kind: "internal",
                title: "Lỗi hệ thống",
                detail: "Đã có lỗi xảy ra; dữ liệu không bị thay đổi."
            )
        }
    }
}
