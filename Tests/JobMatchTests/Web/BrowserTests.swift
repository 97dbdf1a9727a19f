import EmployerAPI
import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// The staff web app in headless Chromium (Debian's `/usr/bin/chromium`, installed on first use, or
/// `CHROMIUM`) driven by Playwright (PyPI, installed into a virtualenv under /tmp on first use)
/// against the built `jobmatch serve` on its own embedded database: `Tests/browser/staff_app.py`
/// signs in, registers a worker, searches as it types, refers and hires from a vacancy's candidates,
/// watches the dashboard count rise, downloads the month's export, tries script injection in every
/// text field, checks accessibility with axe-core on the main pages, and signs out.
@Suite("Web app in a real browser")
struct BrowserTests {
    static let playwright = "1.65.2"
    static let axe = "0.1.8"

    /// The virtualenv's python, made on first use (`JOBMATCH_BROWSER_PYTHON` names another).
    static func python() async throws -> String {
        if let path = ProcessInfo.processInfo.environment["JOBMATCH_BROWSER_PYTHON"] { return path }
        return try await PythonTools.virtualenv("browser-\(playwright)", packages: ["playwright==\(playwright)", "axe-playwright-python==\(axe)"])
            + "/bin/python"
    }

    /// Debian's Chromium (installed with its fonts on first use when running as root), or `CHROMIUM`.
    static func chromium() async throws -> String {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"] { return path }
        try await SystemPackages.ensure(command: "chromium", packages: ["chromium"])
        // DejaVu covers Vietnamese in the screenshots.
        try await SystemPackages.ensure(check: "test -d /usr/share/fonts/truetype/dejavu", packages: ["fonts-dejavu-core"])
        return "/usr/bin/chromium"
    }

    @Test(
        "sign in, register a worker, find her typed without diacritics, refer and hire her from the candidates, see the dashboard count rise, download the month's export, record a follow-up call, sign out; the public board without a session; no injected script runs; accessible pages"
    )
    func staffApp() async throws {
        let chromium = try await Self.chromium()
        let python = try await Self.python()
        let home = LiveServer.temporaryHome("jm-browser")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try LiveServer.freePort()
        // The public board reads the open vacancies every 5 s, so the one posted below shows soon.
        let environment = LiveServer.environment(["PUBLIC_BOARD_REFRESH_SECONDS": "5", "CENTRE_PHONE": "0293 3870 123"])
        let token = try await LiveServer.addStaff("canbo", home: home, environment: environment)
        let password = "Lua-gao-2026"
        try await LiveServer.setPassword("canbo", password, home: home, environment: environment)
        try await LiveServer.serving(home: home, port: port, environment: environment) { server in
            try await self.drive(port: port, token: token, password: password, python: python, chromium: chromium, home: home, server: server)
        }
    }

    func drive(port: Int, token: String, password: String, python: String, chromium: String, home: String, server: ChildProcess) async throws {
        try await LiveServer.waitUntilHealthy(port: port, server: server)
        let base = "http://127.0.0.1:\(port)"
        let household = try await LiveServer.http(
            "POST",
            base + "/api/staff/households",
            token: token,
            json: #"{"head_name":"Lê Văn Lộc","ward_code":"31321","status":"poor","status_valid_from":"2025-01-01"}"#
        )
        let householdID = try #require(try? household.body.decoded(CreatedRecord.self), "\(household.body)").id
        let vacancyID = try await LiveServer.tailoringVacancy(base: base, token: token)
        // Someone hired at a job fair 100 days ago: the three-month follow-up call is due.
        let followed = try await LiveServer.http(
            "POST",
            base + "/api/staff/workers",
            token: token,
            json:
                #"{"full_name":"Trần Văn Theo","cccd":"093090000123","birth_date":"1990-02-01","sex":"male","ward_code":"31321","occupation_codes":["7531"],"phone":"0912000123"}"#
        )
        let followedID = try #require(try? followed.body.decoded(CreatedRecord.self), "\(followed.body)").id
        let placement = try await LiveServer.http(
            "POST",
            base + "/api/staff/placements",
            token: token,
            json: """
                {"worker_id":\(followedID),"channel":"job_fair","start_date":"\(LocalDate.today().adding(days: -100).description)",
                 "evidence":"Phiếu đăng ký phiên giao dịch việc làm","contract_type":"indefinite"}
                """
        )
        _ = try #require(try? placement.body.decoded(CreatedRecord.self), "\(placement.body)")
        let shots = ProcessInfo.processInfo.environment["JOBMATCH_SCREENSHOTS"]
        let run = try await ChildProcess.run(
            [python, TestCluster.repositoryRoot + "/Tests/browser/staff_app.py", base, "canbo", password, "\(householdID)", "\(vacancyID)"]
                + (shots.map { ["--screenshots", $0] } ?? []),
            environment: ["CHROMIUM": chromium, "TODAY": LocalDate.today().description, "HOME": home],
            timeout: .seconds(300)
        )
        #expect(run.status == 0, "the browser suite failed:\n\(run.output.suffix(4000))")
        #expect(run.output.contains("ok: signed out: the dashboard is refused"), "\(run.output.suffix(2000))")
    }
}
