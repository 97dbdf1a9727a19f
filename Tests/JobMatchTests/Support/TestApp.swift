import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import JobMatch

/// Staff tokens made for one test's database.
struct TestTokens: Sendable {
    let admin: String
    let officer: String
    let viewer: String
}

/// Runs `body` against the real application (the same `buildApplication` as `serve`) on a fresh
/// database of the test cluster, with one staff token per role already issued.
func withTestApp(
    mode: TestingSetup = .router,
    logger: Logger = TestCluster.logger,
    configure: @Sendable (inout AppConfig) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, TestTokens, String) async throws -> Void
) async throws {
    let phase = TestAppPhase()
    // A test that stops making progress says where, on the standard error, every five minutes.
    let watchdog = Task {
        var waited = 0
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(300))
            waited += 5
            FileHandle.standardError.write(Data("withTestApp: still \(phase.current) after \(waited) min\n".utf8))
        }
    }
    defer { watchdog.cancel() }
    do {
        phase.set("waiting for a slot")
        try await TestAppSlots.withSlot {
            try await runTestApp(mode: mode, logger: logger, configure: configure, phase: phase, body)
        }
    } catch let error as PSQLError {
        // The database's own words, which PSQLError hides from its description.
        throw TestFailure(String(reflecting: error))
    }
}

private func runTestApp(
    mode: TestingSetup = .router,
    logger: Logger = TestCluster.logger,
    configure: @Sendable (inout AppConfig) -> Void = { _ in },
    phase: TestAppPhase,
    _ body: @escaping @Sendable (any TestClientProtocol, TestTokens, String) async throws -> Void
) async throws {
    phase.set("creating a database")
    let database = try await TestCluster.freshDatabase()
    let url = try await TestCluster.url(database)
    phase.set("issuing tokens in \(database)")
    let tokens = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        let store = CredentialStore(client: client, logger: TestCluster.logger)
        return TestTokens(
            admin: try await store.addStaff(username: "admin", role: .admin).token.value,
            officer: try await store.addStaff(username: "officer", role: .officer).token.value,
            viewer: try await store.addStaff(username: "viewer", role: .viewer).token.value
        )
    }
    var config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory, maxConnections: 4)
    config.databaseOwnerURL = TestCluster.ownerURL(of: url)
    config.port = 0
    config.retention.enabled = false  // the retention tests run it themselves
    config.exportSchedule.enabled = false  // tests run the schedule with their own clock
    config.candidateIndex = false  // the candidate index's tests make their own (one less service in every app)
    config.sms.announceFollowUps = false  // the message tests announce follow-ups themselves
    // A test cluster shared by many parallel tests can be slow to answer for seconds; the gate's
    // own test uses a short threshold.
    config.databaseGate = .seconds(60)
    config.connectionWait = .seconds(60)  // the same for a request's wait for its share of the pool
    // ... and for lock waits, statements and new connections: at the suite's peak (hundreds of
    // connections on two cores) a burst of requests serialised on one lock, or a connection's
    // start-up, can take longer than the service's defaults, and the tests' 503s then say nothing
    // about the code. The timeout tests set their own short limits.
    config.sessionTimeouts.lock = .seconds(90)
    config.sessionTimeouts.statement = .seconds(120)
    config.sessionTimeouts.connect = .seconds(60)
    config.webhookSecretKey = TestCluster.webhookSecretKey  // no key file in the checkout
    config.strictTemplates = true  // a page missing a template value answers 500 (and `WebBrowser` records it)
    configure(&config)
    phase.set("building the app on \(database)")
    let app = try await buildApplication(config, logger: logger)
    phase.set("starting the app on \(database)")
    defer { phase.set("done with \(database)") }
    try await app.test(mode) { client in
        phase.set("running the test's body on \(database)")
        defer { phase.set("stopping the app on \(database)") }
        // A live server is asked through a client that waits 120 s for an answer, not the
        // framework's fixed 20 s, which a loaded machine running the suite in parallel can exceed.
        guard let port = client.port else { return try await body(client, tokens, url) }
        let patient = PatientLiveClient(port: port)
        do {
            try await body(patient, tokens, url)
            try await patient.shutdown()
        } catch {
            try? await patient.shutdown()
            throw error
        }
    }
}

extension TestClientProtocol {
    /// Sends JSON (a dictionary literal) with a bearer token; returns status and decoded JSON body.
    @discardableResult
    func json(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        _ body: [String: Any]? = nil
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
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

/// `/readyz`'s status, asked again (up to 10 times, a second apart) while the machine is so loaded
/// that the check misses its 3-second deadline; a real "not ready" stays 503 throughout.
func readiness(_ client: any TestClientProtocol) async throws -> HTTPResponse.Status {
    var status = try await client.json(.get, "/readyz", token: nil).status
    for _ in 0..<10 where status != .ok {
        try await Task.sleep(for: .seconds(1))
        status = try await client.json(.get, "/readyz", token: nil).status
    }
    return status
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

    static func worker(
        cccd: String = "093190123456",
        birth: String = "1990-05-01",
        sex: String = "female",
        household: Int64? = nil,
        occupations: [String] = ["7212"]
    ) -> [String: Any] {
        var body: [String: Any] = [
            "full_name": "Trần Thị Bình", "cccd": cccd, "birth_date": birth, "sex": sex,
            "ward_code": ward, "occupation_codes": occupations,
        ]
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

extension Dictionary where Key == String, Value == Any {
    /// A worker body that also records the worker's consent to be referred (matching requires it).
    func consenting() -> [String: Any] {
        var body = self
        body["consents"] = ["referral"]
        return body
    }
}

/// An employer made through the staff API, with a key for the employer API.
struct TestEmployer: Sendable {
    let id: Int
    let keyID: Int
    let key: String

    static func make(_ client: any TestClientProtocol, _ tokens: TestTokens, taxCode: String = "0100109106") async throws -> TestEmployer {
        let id = try await client.created("/api/staff/employers", token: tokens.officer, Sample.employer(taxCode: taxCode))
        let key = try await client.issueKey(employer: id, token: tokens.officer)
        let keys = try await client.keys(employer: id, token: tokens.officer)
        return TestEmployer(id: id, keyID: Int(try #require(keys.first).id), key: key)
    }
}

extension TestClientProtocol {
    /// Sends JSON (a dictionary literal) to the staff API and reads the answer as `T` (snake_case keys);
    /// fails the test (throws) when the answer is not one.
    func staff<T: Decodable>(
        _ type: T.Type,
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        _ body: [String: Any]? = nil
    ) async throws -> T {
        try await self.answer(T.self, method, uri, token: token, body, snakeCase: true).get()
    }

    /// Issues a key for `employer` through the staff API and returns the key (shown once).
    func issueKey(employer: Int, token: String?) async throws -> String {
        try await self.staff(IssuedKey.self, .post, "/api/staff/employers/\(employer)/keys", token: token).apiKey
    }

    /// The keys of `employer` as staff see them, newest first.
    func keys(employer: Int, token: String?) async throws -> [CredentialStore.EmployerKey] {
        try await self.staff(EmployerRoutes.KeyList.self, .get, "/api/staff/employers/\(employer)/keys", token: token).keys
    }
}

extension TestClientProtocol {
    /// Sends JSON with extra headers (for `Idempotency-Key`); returns the whole response.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        headers extra: HTTPFields = [:],
        _ body: [String: Any]? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers.append(contentsOf: extra)
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])) }
        return try await self.execute(uri: uri, method: method, headers: headers, body: payload)
    }
}

/// A referral of a new worker to `vacancy`, made by staff; returns its id and the worker's.
func referWorker(
    _ client: any TestClientProtocol,
    _ tokens: TestTokens,
    vacancy: Int,
    cccd: String = "093190123456",
    consents: [String] = ["referral"],
    phone: String? = "0912345678"
) async throws -> (referral: Int, worker: Int) {
    var body = Sample.worker(cccd: cccd)
    body["consents"] = consents
    if let phone { body["phone"] = phone }
    let worker = try await client.created("/api/staff/workers", token: tokens.officer, body)
    let referral = try await client.answer(
        CreatedRecord.self,
        .post,
        "/api/staff/referrals",
        token: tokens.officer,
        ["vacancy_id": vacancy, "worker_id": worker]
    )
    guard referral.status == .created, let id = referral.value?.id else {
        throw TestFailure("referral not created: \(referral.status) \(String(describing: referral.problem))")
    }
    return (id, worker)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestCluster {
    /// The key that seals webhook secrets in every test app (base64 of 32 random bytes, one per run).
    static let webhookSecretKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
}

/// What `withTestApp` is doing, for the watchdog's report of a test that stopped making progress.
final class TestAppPhase: Sendable {
    private let state = Mutex("starting")
    var current: String { self.state.withLock { $0 } }
    func set(_ phase: String) { self.state.withLock { $0 = phase } }
}
