import Foundation
import Hummingbird
import HummingbirdTesting

/// The registry's JSON answers as the tests read them: typed, so that a missing or mistyped field
/// fails the test where it is read instead of somewhere after an `as!`.
enum RegistryAnswer {
    /// `{"id": …}`, the answer to a create.
    struct Created: Decodable {
        let id: Int
    }

    /// An `application/problem+json` body.
    struct Problem: Decodable {
        let status: Int
        let title: String
        let detail: String?
        let field: String?
        let existingId: Int?
    }

    /// `GET /workers/{id}` and the answer to a `PATCH`: the fields these tests read.
    struct Worker: Decodable {
        let id: Int
        let fullName: String
        let cccd: String?
        let cmnd: String?
        let phone: String?
        let ethnicity: String?
        let occupationCodes: [String]
        let maxCommuteKm: Int?
        let mergedInto: Int?
        let birthDate: String
        let anonymised: Bool
    }

    /// `GET /workers/{id}/personal-data`: the parts these tests read (values as text).
    struct PersonalData: Decodable {
        struct Consent: Decodable {
            let purpose: String?
            let withdrawnAt: String?
        }

        let worker: [String: String?]
        let occupations: [String]
        let consents: [Consent]
    }

    /// A merge as `POST /workers/{id}/merge`, its undo and `GET /workers/{id}/merges` give it.
    struct Merge: Decodable {
        let id: Int
        let keptId: Int
        let mergedId: Int
        let filled: [String]
        let moved: [String: [Int]]
        let copied: [String: [String]]
        let undoneAt: String?
    }

    /// `GET /workers/{id}/merges`.
    struct Merges: Decodable {
        let merges: [Merge]
    }

    /// `GET /workers?q=`: the rows found, in order, and where the next page starts.
    struct Search: Decodable {
        struct Row: Decodable {
            let id: Int
            let fullName: String
            let cccd: String?
            let phone: String?
        }

        let workers: [Row]
        let nextCursor: String?
    }

    /// `GET /audit`: the entries, with their before and after images.
    struct Audit: Decodable {
        struct Entry: Decodable {
            let action: String
            let before: [String: String]?
            let after: [String: String]?
        }

        let entries: [Entry]
    }

    /// `GET /workers/duplicates`.
    struct Pairs: Decodable {
        struct Pair: Decodable {
            let firstId: Int
            let secondId: Int
            let reason: String
        }

        let pairs: [Pair]
    }

    /// `GET /households/{id}`: the status periods, oldest first.
    struct Household: Decodable {
        struct Period: Decodable {
            let status: String
            let validFrom: String
            let validTo: String?
        }

        let statuses: [Period]
    }

    /// `GET /households/{id}/status?as_of=`.
    struct HouseholdStatus: Decodable {
        let status: String
        let recorded: Bool
    }

    /// `GET /progress`: each target's key and its count so far (the rest of each target left unread).
    struct Progress: Decodable {
        struct Target: Decodable {
            let key: String
            let count: Int
        }

        /// What the trained share measures, said in the answer itself.
        struct TrainedRate: Decodable {
            let measures: String
            let label: String
        }

        let targets: [Target]
        let trainedRate: TrainedRate
    }

    /// A status and the body read as `T` (nil when it is not one).
    struct Reply<T: Decodable> {
        let status: HTTPResponse.Status
        let body: T?

        /// The body; fails the test when the answer was not a `T`.
        func value() throws -> T {
            guard let body else { throw TestFailure("expected a \(T.self), got status \(self.status.code)") }
            return body
        }
    }
}

extension TestClientProtocol {
    /// Sends a JSON body (a dictionary literal) with a bearer token and reads the answer as `T` (snake_case keys).
    func registry<T: Decodable>(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        _ body: [String: Any]? = nil,
        as type: T.Type
    ) async throws -> RegistryAnswer.Reply<T> {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await self.execute(uri: uri, method: method, headers: headers, body: payload)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return RegistryAnswer.Reply(status: response.status, body: try? decoder.decode(T.self, from: Data(buffer: response.body)))
    }

    /// Creates something and returns its id; fails the test unless the answer is 201 with an id.
    func created(_ uri: String, token: String?, _ body: [String: Any]) async throws -> Int {
        let reply = try await self.answer(RegistryAnswer.Created.self, .post, uri, token: token, body, snakeCase: true)
        guard reply.status == .created, let id = reply.value?.id else {
            throw TestFailure(
                "POST \(uri) answered \(reply.status.code), not 201 with an id: \(reply.problem.map { "\($0.title): \($0.detail ?? "")" } ?? "")"
            )
        }
        return id
    }
}
