import EmployerAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Answers read into types instead of `[String: Any]`: the employer API's into the generated
/// client types (their own coding keys, ISO 8601 dates), the staff API's into test types with
/// snake_case keys, and every problem into `Components.Schemas.Problem`.
extension TestClientProtocol {
    /// Sends JSON with a bearer token; returns the status and the body as `T` (nil when it is not one:
    /// an error answer), and the problem when the answer is one.
    func answer<T: Decodable>(
        _ type: T.Type,
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        _ body: [String: Any]? = nil,
        snakeCase: Bool = false
    ) async throws -> TypedAnswer<T> {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await self.execute(uri: uri, method: method, headers: headers, body: payload)
        let data = Data(buffer: response.body)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        let problem =
            response.headers[.contentType]?.hasPrefix("application/problem+json") == true
            ? try? JSONDecoder().decode(Components.Schemas.Problem.self, from: data) : nil
        return TypedAnswer(status: response.status, value: problem == nil ? try? decoder.decode(T.self, from: data) : nil, problem: problem)
    }
}

/// A status with the body read as `T`, or the problem it reported.
struct TypedAnswer<T> {
    let status: HTTPResponse.Status
    let value: T?
    let problem: Components.Schemas.Problem?

    /// The body as `T`; fails the test (throws) when the answer was not one.
    func get() throws -> T {
        guard let value else { throw NotDecoded(status: self.status, problem: self.problem) }
        return value
    }
}

/// An answer that was not the type asked for.
struct NotDecoded: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let problem: Components.Schemas.Problem?
    var description: String {
        "answer \(self.status.code) not decoded: \(self.problem.map { "\($0.title): \($0.detail ?? "")" } ?? "no problem body")"
    }
}

/// The id of what a POST created (any answer with an `id`).
struct CreatedRecord: Decodable {
    let id: Int
}

extension TestResponse {
    /// The body as `T` (ISO 8601 dates; snake_case keys when asked); throws when it is not one.
    func decoded<T: Decodable>(_ type: T.Type, snakeCase: Bool = false) throws -> T {
        try Data(buffer: self.body).decoded(T.self, snakeCase: snakeCase)
    }

    /// The body as a problem (nil when it is not one).
    var problem: Components.Schemas.Problem? { try? self.decoded(Components.Schemas.Problem.self) }
}

extension Data {
    /// These bytes as `T` (ISO 8601 dates; snake_case keys when asked); throws when they are not one.
    func decoded<T: Decodable>(_ type: T.Type, snakeCase: Bool = false) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return try decoder.decode(T.self, from: self)
    }
}

extension String {
    /// This text as JSON of `T` (ISO 8601 dates; snake_case keys when asked); throws when it is not one.
    func decoded<T: Decodable>(_ type: T.Type, snakeCase: Bool = false) throws -> T {
        try Data(self.utf8).decoded(T.self, snakeCase: snakeCase)
    }
}
