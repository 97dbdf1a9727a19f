import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

/// Every route the router knows (read from Hummingbird's own list, so a new route is covered the
/// day it is added), called by every kind of caller: admin, officer, viewer, employer A, employer B,
/// a revoked employer key, a revoked staff token, a web session cookie without a bearer, and no
/// credential. Every cross-scope call must be refused.
@Suite("Authorization matrix: every route, every caller")
struct AuthorizationMatrixTests {
    /// Routes that need no credential at all.
    static let publicRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /api/v1/openapi.yaml", "GET /api/v1/docs", "GET /api/v1/docs.css", "GET /sign-in", "POST /sign-in",
        "GET /board", "GET /letters", "GET /letters/{code}", "GET /language",
    ]

    /// Staff API routes whose handler refuses officers (`guard staff.role == .admin`).
    static let adminOnly: Set<String> = [
        "POST /api/staff/workers/{id}/anonymise", "POST /api/staff/targets", "PUT /api/staff/targets/{key}", "PUT /api/staff/matching/weights",
        "GET /api/staff/audit",
    ]

    /// Staff API reads whose handler refuses viewers (`guard staff.role != .viewer`).
    /// Admin-only reads are refused to viewers as well.
    static let notForViewers: Set<String> = ["GET /api/staff/workers/{id}/personal-data", "GET /api/staff/audit"]

    /// Every route of the application, as the router registered them ("METHOD /path/{param}").
    static func registeredRoutes(url: String) async throws -> [String] {
        let config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory)
        let client = PostgresClient(configuration: try DatabaseURL.configuration(from: url))  // never run: the routes are only listed
        let renderer = try await WebRenderer.load(directory: TestCluster.repositoryRoot + "/web")
        let router = try buildRouter(
            client: client,
            migrator: Migrator(directory: config.sqlDirectory, logger: TestCluster.logger),
            catalogue: ReferenceCatalogue(),
            credentialCache: CredentialCache(),
            candidateIndex: nil,
            renderer: renderer,
            config: config,
            logger: TestCluster.logger
        )
        return router.routes.map { "\($0.method) \($0.path)" }
    }

    /// The operations of the employer API contract as the service publishes it, from the YAML text
    /// (two-space path keys, four-space methods, `operationId` below each).
    static func contractOperations(_ yaml: String) -> [(method: String, path: String, id: String)] {
        var operations: [(String, String, String)] = []
        var path: String?
        var method: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                ["get", "post", "put", "patch", "delete"].contains(line.trimmingCharacters(in: .whitespaces).dropLast())
            {
                method = String(line.trimmingCharacters(in: .whitespaces).dropLast()).uppercased()
            } else if line.hasPrefix("      operationId: "), let path, let method {
                operations.append((method, "/api/v1" + path, String(line.dropFirst("      operationId: ".count))))
            }
        }
        return operations
    }

    /// `/a/{x}/b` with every parameter set by `value`.
    static func concrete(_ path: String, _ value: (String) -> String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? value(String(part.dropFirst().dropLast())) : String(part)
        }.joined(separator: "/")
    }

    /// A caller: a bearer secret or a session cookie or nothing.
    struct Caller: CustomStringConvertible {
        let description: String
        var bearer: String? = nil
        var cookie: String? = nil
    }

    /// Sends `method uri` as `caller` with a JSON body; returns the response.
    static func call(
        _ client: any TestClientProtocol,
        _ method: String,
        _ uri: String,
        as caller: Caller,
        body: [String: Any]? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer = caller.bearer { headers[.authorization] = "Bearer \(bearer)" }
        if let cookie = caller.cookie { headers[.cookie] = cookie }
        let payload = try ByteBuffer(bytes: JSONSerialization.data(withJSONObject: body ?? [:]))
        return try await client.execute(uri: uri, method: HTTPRequest.Method(method)!, headers: headers, body: method == "GET" ? nil : payload)
    }

    @Test("every route is public, staff API, employer API, metrics or a web page; each refuses every caller outside its scope")
    func matrix() async throws {
        try await withTestApp(configure: { $0.webhookPolicy = .init(allowHTTP: true, allowPrivateTargets: true) }) { client, tokens, url in
            let routes = try await Self.registeredRoutes(url: url)
            #expect(routes.count > 150, "the router lists every route (\(routes.count))")

            // The callers.
            let a = try await TestEmployer.make(client, tokens)
            let b = try await TestEmployer.make(client, tokens, taxCode: "0301234562")
            let revokedKey = try await client.issueKey(employer: b.id, token: tokens.officer)
            let bKeys = try await client.keys(employer: b.id, token: tokens.officer)
            let revokedKeyID = try #require(bKeys.first { revokedKey.hasPrefix($0.prefix) }?.id)
            #expect(try await client.json(.post, "/api/staff/employer-keys/\(revokedKeyID)/revoke", token: tokens.admin).status == .ok)
            let revokedStaff = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let token = try await CredentialStore(client: db, logger: TestCluster.logger).addStaff(username: "former", role: .admin).token.value
                try await db.query(
                    "UPDATE staff_tokens SET revoked_at = now() WHERE staff_user_id = (SELECT id FROM staff_users WHERE username = 'former')",
                    logger: TestCluster.logger
                )
                return token
            }
            try await setWebPassword("admin", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            #expect(try await browser.signIn("admin", SignInTests.password).status == .seeOther)
            let session = try #require(browser.cookies["jm_session"])

            let admin = Caller(description: "admin", bearer: tokens.admin)
            let officer = Caller(description: "officer", bearer: tokens.officer)
            let viewer = Caller(description: "viewer", bearer: tokens.viewer)
            let employerA = Caller(description: "employer A", bearer: a.key)
            let employerB = Caller(description: "employer B", bearer: b.key)
            let noCredential = Caller(description: "no credential")
            let unknown = Caller(description: "unknown secret", bearer: "jms_" + String(repeating: "x", count: 43))
            let revoked = Caller(description: "revoked employer key", bearer: revokedKey)
            let formerStaff = Caller(description: "revoked staff token", bearer: revokedStaff)
            let cookieOnly = Caller(description: "admin's web session without a bearer", cookie: "jm_session=\(session)")
            let unauthenticated = [noCredential, unknown, revoked, formerStaff, cookieOnly]

            // Employer A's objects, and what A sees of them before anyone else tries anything.
            var vacancyBody = Sample.vacancy()
            vacancyBody["title"] = "Thợ hàn MATRIX-A-7731"
            vacancyBody["reference"] = "A-REF-7731"
            let vacancy = Int(
                try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: a.key, vacancyBody).get().id
            )
            let (referral, _) = try await referWorker(client, tokens, vacancy: vacancy, consents: ["referral", "share_contact_with_employer"])
            let webhook = Int(
                try await client.answer(
                    Components.Schemas.Webhook.self,
                    .post,
                    "/api/v1/webhooks",
                    token: a.key,
                    ["url": "http://127.0.0.1:9/matrix-a"]
                )
                .get().id
            )
            func ownerView() async throws -> String {
                var text = ""
                for path in ["/api/v1/vacancies/\(vacancy)", "/api/v1/referrals/\(referral)", "/api/v1/webhooks"] {
                    // Byte for byte: the employer API sorts its keys, so the same answer is the same bytes.
                    text += String(buffer: try await Self.call(client, "GET", path, as: employerA).body)
                }
                return text
            }
            let before = try await ownerView()
            #expect(before.contains("MATRIX-A-7731") && before.contains("matrix-a"))

            // Every route falls in exactly one scope.
            let employerRoutes = routes.filter { $0.contains(" /api/v1/") && !Self.publicRoutes.contains($0) }
            let staffRoutes = routes.filter { $0.contains(" /api/staff/") }
            let webRoutes = routes.filter { !$0.contains(" /api/") && $0 != "GET /metrics" && !Self.publicRoutes.contains($0) }
            #expect(
                employerRoutes.count + staffRoutes.count + webRoutes.count + Self.publicRoutes.count + 1 == routes.count,
                "every route has one scope"
            )
            #expect(Self.publicRoutes.isSubset(of: routes), "the public list names only real routes")
            #expect(Self.adminOnly.isSubset(of: staffRoutes) && Self.notForViewers.isSubset(of: staffRoutes), "the role tables name only real routes")

            // The employer routes are exactly the published contract's operations.
            let yaml = String(buffer: try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).body)
            let contract = Self.contractOperations(yaml)
            #expect(contract.count >= 16, "the contract parsed (\(contract.count) operations)")
            #expect(Set(contract.map { "\($0.method) \($0.path)" }) == Set(employerRoutes), "router and contract agree")

            // The web pages are exactly the catalogue the web route test walks.
            let catalogue = try await RouteCatalogueTests.routes(url: url).map { route in
                "\(route.method) /"
                    + route.path.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            }
            #expect(Set(catalogue) == Set(webRoutes), "router and WebPages agree: \(Set(webRoutes).symmetricDifference(catalogue).sorted())")

            // Public routes: open to anyone.
            // A public page of one record (a referral letter's check) answers an unknown one with 404, never the sign-in.
            for route in Self.publicRoutes where route.hasPrefix("GET ") && route != "GET /readyz" {
                let path = Self.concrete(String(route.dropFirst(4))) { _ in "ABCDEFGHJK" }
                let status = try await Self.call(client, "GET", path, as: noCredential).status
                // The language switch without a choice is a bad request (with one it sets a cookie and goes back).
                let expected: HTTPResponse.Status = route == "GET /language" ? .unprocessableContent : route.contains("{") ? .notFound : .ok
                #expect(status == expected, "\(route): \(status)")
            }

            // /metrics: staff only.
            for caller in unauthenticated {
                #expect(try await Self.call(client, "GET", "/metrics", as: caller).status == .unauthorized, "/metrics as \(caller)")
            }
            for caller in [employerA, employerB] {
                #expect(try await Self.call(client, "GET", "/metrics", as: caller).status == .forbidden, "/metrics as \(caller)")
            }
            for caller in [admin, officer, viewer] {
                #expect(try await Self.call(client, "GET", "/metrics", as: caller).status == .ok, "/metrics as \(caller)")
            }

            // The staff API.
            for route in staffRoutes.sorted() {
                let method = String(route.prefix { $0 != " " })
                let path = Self.concrete(String(route.drop { $0 != " " }.dropFirst())) { _ in "987654" }
                for caller in unauthenticated {
                    let response = try await Self.call(client, method, path, as: caller)
                    #expect(response.status == .unauthorized, "\(route) as \(caller): \(response.status)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(route) as \(caller)")
                }
                for caller in [employerA, employerB] {
                    #expect(try await Self.call(client, method, path, as: caller).status == .forbidden, "\(route) as \(caller)")
                }
                let viewerRefused = method != "GET" || Self.notForViewers.contains(route)
                let viewerStatus = try await Self.call(client, method, path, as: viewer).status
                if viewerRefused {
                    #expect(viewerStatus == .forbidden, "\(route) as viewer: \(viewerStatus)")
                } else {
                    #expect(![.unauthorized, .forbidden].contains(viewerStatus) && viewerStatus.code < 500, "\(route) as viewer: \(viewerStatus)")
                }
                let officerStatus = try await Self.call(client, method, path, as: officer).status
                if Self.adminOnly.contains(route) {
                    #expect(officerStatus == .forbidden, "\(route) as officer: \(officerStatus)")
                } else {
                    #expect(
                        ![.unauthorized, .forbidden].contains(officerStatus) && officerStatus.code < 500,
                        "\(route) as officer: \(officerStatus)"
                    )
                }
                let adminStatus = try await Self.call(client, method, path, as: admin).status
                #expect(![.unauthorized, .forbidden].contains(adminStatus) && adminStatus.code < 500, "\(route) as admin: \(adminStatus)")
            }

            // The employer API: no credential 401, staff 403, employer B never reaches A's objects.
            let bodies: [String: [String: Any]] = [
                "createVacancy": Sample.vacancy(), "upsertVacancyByReference": Sample.vacancy(), "updateVacancy": Sample.vacancy(),
                "closeVacancy": [:], "reopenVacancy": [:], "recordInterview": ["interviewed_on": "2026-11-20", "outcome": "passed"],
                "hireCandidate": ["start_date": "2026-12-01"], "rejectCandidate": ["reason": "Không phù hợp"],
                "createWebhook": ["url": "http://127.0.0.1:9/matrix-b"],
            ]
            let owned: [String: String] = [
                "vacancy_id": "\(vacancy)", "referral_id": "\(referral)", "webhook_id": "\(webhook)", "reference": "A-REF-7731",
            ]
            for operation in contract {
                let route = "\(operation.method) \(operation.path)"
                let body = bodies[operation.id]
                if operation.method != "GET" && operation.method != "DELETE" {
                    #expect(body != nil, "\(operation.id): add a valid sample body to this test")
                }
                var unknownParameter = false
                let path = Self.concrete(operation.path) { name in
                    if let value = owned[name] { return value }
                    unknownParameter = true
                    return "1"
                }
                #expect(!unknownParameter, "\(route): say which of employer A's objects its parameter names")
                for caller in unauthenticated {
                    let status = try await Self.call(client, operation.method, path, as: caller, body: body).status
                    #expect(status == .unauthorized, "\(route) as \(caller): \(status)")
                }
                for caller in [admin, officer, viewer] {
                    let status = try await Self.call(client, operation.method, path, as: caller, body: body).status
                    #expect(status == .forbidden, "\(route) as \(caller): \(status)")
                }
                let response = try await Self.call(client, operation.method, path, as: employerB, body: body)
                let text = String(buffer: response.body)
                if operation.path.contains("by-reference") {
                    // A reference is the employer's own name space: B's call makes or changes B's vacancy, never A's.
                    #expect(
                        response.status.code < 300 && !text.contains("\"id\":\(vacancy),") && !text.contains("MATRIX-A"),
                        "\(route) as employer B: \(text)"
                    )
                } else if operation.path.contains("{") {
                    #expect([.notFound, .forbidden].contains(response.status), "\(route) as employer B: \(response.status)")
                } else if operation.method == "GET" {
                    #expect(response.status == .ok, "\(route) as employer B")
                    for mark in ["MATRIX-A", "A-REF-7731", "matrix-a", "Trần Thị Bình", "\"id\":\(referral)"] {
                        #expect(!text.contains(mark), "\(route) as employer B shows \(mark)")
                    }
                }
            }
            let after = try await ownerView()
            #expect(after == before, "nothing employer B did changed what employer A sees:\nbefore \(before)\nafter  \(after)")

            // The web pages: only a session cookie opens them; bearer secrets are ignored.
            for route in webRoutes.sorted() {
                let method = String(route.prefix { $0 != " " })
                let path = Self.concrete(String(route.drop { $0 != " " }.dropFirst())) { _ in "987654" }
                for caller in [noCredential, admin, viewer, employerA, revoked, formerStaff] {
                    var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                    if let bearer = caller.bearer { headers[.authorization] = "Bearer \(bearer)" }
                    let response = try await client.execute(
                        uri: path,
                        method: HTTPRequest.Method(method)!,
                        headers: headers,
                        body: method == "GET" ? nil : ByteBuffer(string: "_csrf=x")
                    )
                    #expect(response.status == .seeOther, "\(route) as \(caller): \(response.status)")
                    let location = response.headers[.location] ?? ""
                    #expect(method == "GET" ? location.hasPrefix("/sign-in?next=") : location == "/sign-in", "\(route) as \(caller): \(location)")
                }
            }
        }
    }

    @Test("the role tables match the role checks written in the handlers")
    func roleChecksCounted() throws {
        var adminGuards = 0
        var viewerGuards = 0
        let root = TestCluster.repositoryRoot + "/Sources/JobMatch"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") && !file.hasPrefix("Web/") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            adminGuards += text.components(separatedBy: "role == .admin else { throw AppError.forbidden }").count - 1
            viewerGuards += text.components(separatedBy: "role != .viewer else { throw AppError.forbidden }").count - 1
        }
        #expect(adminGuards == Self.adminOnly.count, "a new admin-only check in the API: add its route to adminOnly")
        #expect(viewerGuards == Self.notForViewers.subtracting(Self.adminOnly).count, "a new check refusing viewers: add its route to notForViewers")
    }
}
