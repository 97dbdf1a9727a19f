import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `Idempotency-Key` on employer POSTs (IETF draft "The Idempotency-Key HTTP Header Field").
///
/// The request runs in one transaction that also stores its successful response under the key,
/// so the work and the key commit together or not at all. A retry with the same key and body gets
/// the stored response again (`Idempotent-Replayed: true`); the same key with another body is a
/// 422; a retry while the first is still running is a 409 (an advisory lock on the key, tried
/// without waiting). Keys expire after 24 hours. Error responses are not stored: nothing was
/// written, so the client may correct the request and send it again with the same key.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let client: PostgresClient
    /// POST /api/v1/vacancies in one round trip when the request is the common case.
    let vacancyPost: VacancyPostShortcut?
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// Carries a non-2xx response out of the transaction so that its work is rolled back.
    struct Unsuccessful: Error {
        let response: Response
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        let key = request.headers[Self.header]
        if let key {
            guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
                throw AppError.invalid(field: "Idempotency-Key", "Idempotency-Key phải gồm 1 đến 255 ký tự ASCII.")
            }
        }
        let shortcut = request.uri.path == VacancyPostShortcut.path ? self.vacancyPost : nil
        guard key != nil || shortcut != nil, case .employer(let employerID, _) = try context.requirePrincipal() else {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: BodyLimitMiddleware.maximum)
        let path = request.uri.path
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(path)\n".utf8))
        hasher.update(data: Array(buffer: body))
        let hash = Data(hasher.finalize())
        // The common vacancy POST in one round trip; anything else the ordinary way below.
        if let shortcut,
            let response = try await shortcut.respond(
                to: request,
                body: body,
                employerID: employerID,
                key: key,
                requestHash: hash,
                logger: context.logger
            )
        {
            return response
        }
        guard let key else { return try await next(request, context) }
        let logger = context.logger
        do {
            return try await self.client.withTransaction(logger: logger) { tx in
                // The key's lock, tried without waiting, and its stored response, in one round trip.
                let (locked, stored) = try await Self.lockAndLookUp(employerID: employerID, key: key, on: tx, logger: logger)
                guard locked else { throw Self.busy }
                if let stored {
                    if stored.expired {
                        try await tx.query("DELETE FROM idempotency_keys WHERE employer_id = \(employerID) AND key = \(key)", logger: logger)
                    } else {
                        guard stored.hash == hash else { throw Self.keyReused }
                        return stored.response
                    }
                }
                // The handler works in this transaction, handed to it through the context.
                var context = context
                context.transaction = tx
                let response = try await next(request, context)
                guard (200..<300).contains(response.status.code) else { throw Unsuccessful(response: response) }
                let collected = try await Self.collect(response)
                let headers = Dictionary(collected.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { first, _ in first })
                _ = try await tx.execute(
                    IdempotencyStoreStatement(
                        employerID: employerID,
                        key: key,
                        method: request.method.rawValue,
                        path: path,
                        requestHash: hash,
                        status: Int(collected.status.code),
                        headersJSON: FlatJSON.encode(headers),
                        body: collected.body
                    ),
                    logger: logger
                )
                return Response(status: collected.status, headers: collected.headers, body: .init(byteBuffer: collected.body))
            }
        } catch let error as PostgresTransactionError {
            if let unsuccessful = error.closureError as? Unsuccessful { return unsuccessful.response }
            throw error
        }
    }

    /// Takes the key's transaction lock if no one holds it; when taken, also the stored response
    /// for the key, if any, and whether it has expired.
    static func lockAndLookUp(
        employerID: Int64,
        key: String,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> (locked: Bool, stored: (hash: Data, response: Response, expired: Bool)?) {
        var result: IdempotencyLockStatement.Row?
        for try await row in try await tx.execute(IdempotencyLockStatement(employerID: employerID, key: key), logger: logger) { result = row }
        guard let (locked, hash, status, headersJSON, body, expired) = result else { return (false, nil) }
        guard locked, let hash, let status, let headersJSON, let body, let expired else { return (locked, nil) }
        let response = Self.response(status: status, headersJSON: headersJSON, body: ByteBuffer(bytes: body), replayed: true)
        return (true, (hash, response, expired))
    }

    /// A stored (or just stored) answer with its headers; a replay says so in `Idempotent-Replayed`.
    static func response(status: Int, headersJSON: String, body: ByteBuffer, replayed: Bool) -> Response {
        var headers = HTTPFields()
        let stored = (try? JSONDecoder().decode([String: String].self, from: Data(headersJSON.utf8))) ?? [:]
        for (name, value) in stored.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if replayed { headers[Self.replayed] = "true" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body))
    }

    /// Another request with the same key is still running.
    static var busy: AppError {
        var error = AppError.conflict(
            "Một yêu cầu khác với cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát.",
            field: "Idempotency-Key"
        )
        error.retryAfterSeconds = 1
        return error
    }

    /// The key already answered a request with another body.
    static var keyReused: AppError {
        AppError.invalid(field: "Idempotency-Key", "Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi thao tác cần một khóa riêng.")
    }

    /// A response with its body read into memory (employer API bodies are small JSON documents).
    static func collect(_ response: Response) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        let writer = CollectingWriter()
        let box = writer.box
        try await response.body.write(writer)
        return (response.status, response.headers, box.buffer)
    }
}
