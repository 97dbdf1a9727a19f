import Hummingbird
import Synchronization

/// The service's outermost responder: a request still waiting on the database when
/// `DatabaseGate` closes gets its 503 then, instead of waiting for an answer that may never come.
///
/// PostgresNIO drops a query written to a connection that has just closed (its promise is never
/// fulfilled), so a request caught by a database crash between two statements would otherwise
/// wait for ever and hold a graceful shutdown. The request runs in a task of its own; when the gate
/// closes first, that task is cancelled (which ends a wait for a connection) and left behind, and
/// the client gets 503 `database-unavailable` saying that the write may or may not have been made.
/// Requests whose body is larger than 1 MiB or not announced (uploads) are not raced: their body
/// is still being read, and only one task may read it.
struct DatabaseDeadlineResponder: HTTPResponder {
    typealias Context = AppRequestContext
    /// Every route of the service.
    let routes: RouterResponder<Context>
    /// The same outer middleware (headers, log, metrics, problem details) around a 503.
    let unavailable: RouterResponder<Context>
    let gate: DatabaseGate

    init(routes: RouterResponder<Context>, gate: DatabaseGate) {
        self.routes = routes
        self.gate = gate
        let router = Router(context: Context.self)
        addOuterMiddleware(to: router)
        router.add(middleware: UnansweredMiddleware())
        self.unavailable = router.buildResponder()
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        guard DatabaseGateMiddleware.needsDatabase(request.uri.path), self.gate.isOpen else {
            return try await self.routes.respond(to: request, context: context)
        }
        // HTTP/1.1: a body is announced by its length or by chunked transfer encoding.
        let length = request.headers[.contentLength].flatMap(Int.init) ?? 0
        guard request.headers[.transferEncoding] == nil, length <= BodyLimitMiddleware.maximum else {
            return try await self.routes.respond(to: request, context: context)
        }
        var request = request
        if length > 0 { _ = try await request.collectBody(upTo: BodyLimitMiddleware.maximum) }
        let answered = request
        let outcome = Outcome()
        let work = Task {
            do {
                outcome.offer(.success(try await self.routes.respond(to: answered, context: context)))
            } catch {
                outcome.offer(.failure(error))
            }
        }
        let registration = self.gate.whenClosed {
            if outcome.offer(.failure(DatabaseStoppedAnswering())) { work.cancel() }
        }
        defer { self.gate.forget(registration) }
        do {
            return try await withTaskCancellationHandler {
                try await outcome.value()
            } onCancel: {
                work.cancel()
            }
        } catch is DatabaseStoppedAnswering {
            return try await self.unavailable.respond(to: answered.withoutBody, context: context)
        }
    }
}

/// The gate closed before the request was answered.
private struct DatabaseStoppedAnswering: Error {}

/// Answers every request with the 503 of a database that stopped answering mid-request.
private struct UnansweredMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var error = AppError(
            .serviceUnavailable,
            kind: "database-unavailable",
            title: "Cơ sở dữ liệu tạm thời không truy cập được",
            detail: "Cơ sở dữ liệu ngừng trả lời khi yêu cầu đang được xử lý, nên chưa biết thao tác đã được ghi hay chưa. "
                + "Hãy kiểm tra lại trước khi gửi lại; với Idempotency-Key, gửi lại đúng yêu cầu với cùng khóa là an toàn."
        )
        error.retryAfterSeconds = 5
        throw error
    }
}

/// The first of two results to arrive: the request's answer or the gate's closing.
private final class Outcome: Sendable {
    private let state = Mutex<(result: Result<Response, any Error>?, waiter: CheckedContinuation<Response, any Error>?)>((nil, nil))

    /// Keeps `result` if none came before; true when it was kept.
    @discardableResult
    func offer(_ result: Result<Response, any Error>) -> Bool {
        let (kept, waiter) = self.state.withLock { state -> (Bool, CheckedContinuation<Response, any Error>?) in
            guard state.result == nil else { return (false, nil) }
            state.result = result
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(with: result)
        return kept
    }

    /// The first result, when it comes.
    func value() async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let ready = self.state.withLock { state -> Result<Response, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Request {
    /// This request with an empty body (its body was read already, or is not needed).
    fileprivate var withoutBody: Request {
        var request = self
        request.body = .init(buffer: .init())
        return request
    }
}
