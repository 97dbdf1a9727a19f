import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO

@testable import JobMatch

/// Staff tokens made for one test's database.
struct TestTokens: Sendable {
    let admin: String
    let officer: String
    let viewer: String
}

/// Runs `body` against the real application (the same `buildApplication` as `serve`) on a fresh
/// database of the test cluster, with one staff token per role already issued.
func withTestApp(_ body: @escaping @Sendable (any TestClientProtocol, TestTokens, String) async throws -> Void) async throws {
    let database = try await TestCluster.freshDatabase()
    let url = try await TestCluster.url(database)
    let tokens = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        let store = CredentialStore(client: client, logger: TestCluster.logger)
        return TestTokens(
            admin: try await store.addStaff(username: "admin", role: .admin).token.value,
            officer: try await store.addStaff(username: "officer", role: .officer).token.value,
            viewer: try await store.addStaff(username: "viewer", role: .viewer).token.value
        )
    }
    let config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory, maxConnections: 4)
    let app = try await buildApplication(config, logger: TestCluster.logger)
    try await app.test(.router) { client in
        try await body(client, tokens, url)
    }
}

extension TestClientProtocol {
    /// Sends JSON (a dictionary literal) with a bearer token; returns status and decoded JSON body.
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, token: String?, _ body: [String: Any]? = nil) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await self.execute(uri: uri, method: method, headers: headers, body: payload)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    /// Sends raw bytes.
    func raw(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await self.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

/// Counts rows of `table` in the test database at `url` (to prove that a refused write wrote nothing).
func rowCount(_ table: String, url: String) async throws -> Int {
    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), logger: TestCluster.logger)
        return try await rows.first(Int.self) ?? -1
    }
}

/// Builders for valid request bodies, so each test changes only what it is about.
enum Sample {
    /// A 2025 ward in former Hau Giang (Phường Vị Thanh, Cần Thơ) and a legacy ward it absorbed.
    static let ward = "31321"
    static let legacyWard = "31321"

    static func household(status: String = "poor", from: String = "2026-01-01") -> [String: Any] {
        ["head_name": "Nguyễn Văn An", "ward_code": ward, "status": status, "status_valid_from": from]
    }

    static func worker(cccd: String = "093190123456", birth: String = "1990-05-01", sex: String = "female",
                       household: Int64? = nil, occupations: [String] = ["7212"]) -> [String: Any] {
        var body: [String: Any] = ["full_name": "Trần Thị Bình", "cccd": cccd, "birth_date": birth, "sex": sex,
                                   "ward_code": ward, "occupation_codes": occupations]
        if let household { body["household_id"] = household }
        return body
    }

    static func employer(taxCode: String = "0100109106") -> [String: Any] {
        ["name": "Công ty TNHH Cơ khí Hậu Giang", "tax_code": taxCode, "ward_code": ward]
    }

    static func vacancy(occupation: String = "7212", slots: Int = 2) -> [String: Any] {
        ["title": "Thợ hàn", "occupation_code": occupation, "ward_code": ward, "slots": slots, "closing_date": "2099-01-31"]
    }
}
