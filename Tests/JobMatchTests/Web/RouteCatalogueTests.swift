import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

@testable import JobMatch

/// Every signed-in route of the web app, walked from the same list the app registers (`WebPages`):
/// without a session, as each role, with and without the form's CSRF token.
@Suite("Web app: every route's permissions and CSRF")
struct RouteCatalogueTests {
    /// The routes as the app registers them (built only to read their method, path and access).
    static func routes(url: String) async throws -> [WebRoute] {
        let client = PostgresClient(configuration: try DatabaseURL.configuration(from: url))
        let renderer = try await WebRenderer.load(directory: TestCluster.repositoryRoot + "/web")
        let config = AppConfig(databaseURL: url)
        let pages = WebPages(
            client: client,
            renderer: renderer,
            config: config,
            exports: ExportService(client: client, permits: ConnectionPermits(limit: config.exportLimit)),
            vacancies: VacancyRepository(client: client, catalogue: ReferenceCatalogue()),
            referrals: ReferralService(client: client),
            candidates: CandidateService(client: client, index: nil),
            matchBatches: MatchBatchService(client: client),
            placements: PlacementService(client: client),
            progress: ProgressService(client: client)
        )
        return SignInRoutes(sessions: WebSessionStore(client: client, logger: TestCluster.logger, policy: WebSessionPolicy()), renderer: renderer)
            .routes
            + pages.routes
    }

    /// A path with every parameter set to an id no record has (the access check comes before the handler).
    static func concrete(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "987654" : String($0) }.joined(separator: "/")
    }

    /// Pages that need a query or a record to answer 200; allowed roles may get these statuses instead.
    static let notFoundAllowed: Set<HTTPResponse.Status> = [.notFound, .unprocessableContent]

    @Test("no route opens without a session; each role gets exactly what its access allows; every form refuses a missing or wrong token")
    func everyRoute() async throws {
        try await withTestApp { client, _, url in
            let routes = try await Self.routes(url: url)
            #expect(routes.count > 60, "the catalogue lists every page and form (\(routes.count))")
            #expect(Set(routes.map { "\($0.method) \($0.path)" }).count == routes.count, "no route twice")

            let anonymous = WebBrowser(client)
            for route in routes {
                let path = Self.concrete(route.path)
                if route.method == .get {
                    let answer = try await anonymous.get(path)
                    #expect(answer.status == .seeOther && answer.location?.hasPrefix("/sign-in?next=") == true, "\(path) without a session")
                } else {
                    let answer = try await anonymous.post(path, [("_csrf", "jmw_guess")])
                    #expect(answer.status == .seeOther && answer.location == "/sign-in", "POST \(path) without a session")
                }
            }

            for role in [StaffRole.viewer, .officer, .admin] {
                try await setWebPassword(role.rawValue, SignInTests.password, url: url)
                let browser = WebBrowser(client)
                try await browser.signIn(role.rawValue, SignInTests.password)
                let token = try #require(try await browser.get("/").csrf)
                for route in routes where !(route.method == .post && route.path == "sign-out") {
                    let path = Self.concrete(route.path)
                    let allowed = route.access.allows(role)
                    if route.method == .get {
                        let answer = try await browser.get(path)
                        if !allowed {
                            #expect(answer.status == .forbidden && answer.html.contains("Không có quyền"), "\(role) GET \(path)")
                        } else if route.path.contains(":") || route.path.hasPrefix("exports/download") {
                            #expect(answer.status == .ok || Self.notFoundAllowed.contains(answer.status), "\(role) GET \(path): \(answer.status)")
                        } else {
                            #expect(answer.status == .ok, "\(role) GET \(path): \(answer.status)")
                            #expect(answer.missingTemplateValues == nil, "\(path): every template value given")
                        }
                        continue
                    }
                    let missing = try await browser.post(path, [("q", "an")])
                    #expect(missing.status == .forbidden, "\(role) POST \(path) without a token: \(missing.status)")
                    let forged = try await browser.post(path, [("_csrf", String(token.reversed())), ("q", "an")])
                    #expect(forged.status == .forbidden, "\(role) POST \(path) with a forged token: \(forged.status)")
                    if allowed {
                        #expect(missing.html.contains("Biểu mẫu đã hết hạn"), "\(role) POST \(path): refused for the token, not the role")
                        let empty = try await browser.post(path, [("_csrf", token)])
                        #expect(empty.status != .forbidden && empty.status.code < 500, "\(role) POST \(path) with an empty form: \(empty.status)")
                        #expect(!empty.html.contains("Lỗi hệ thống"), "\(role) POST \(path): no system error")
                    } else {
                        let refused = try await browser.post(path, [("_csrf", token)])
                        #expect(refused.status == .forbidden && refused.html.contains("Không có quyền"), "\(role) POST \(path) with its token")
                    }
                }
                #expect(try await browser.post("/sign-out", [("q", "an")]).status == .forbidden, "\(role) signs out only with the token")
                #expect(try await browser.post("/sign-out", [("_csrf", token)]).status == .seeOther)
                #expect(try await browser.get("/").status == .seeOther, "\(role): the session has ended")
            }
        }
    }
}
