import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// The staff web app in headless Chromium (Debian's, `/usr/bin/chromium`, or `CHROMIUM`) driven by
/// Playwright (PyPI, installed into a virtualenv under /tmp on first use) against the built
/// `jobmatch serve` on its own embedded database: `Tests/browser/staff_app.py` signs in, watches the
/// dashboard count rise, searches as it types, tries script injection in every text field, checks
/// accessibility with axe-core, and signs out.
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

    @Test("sign in, see the dashboard count rise, find a worker typed without diacritics, no injected script runs, accessible pages, sign out")
    func staffApp() async throws {
        let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"
        #expect(FileManager.default.isExecutableFile(atPath: chromium), "Chromium is needed: apt-get install chromium (.ci/run does)")
        let python = try await Self.python()
        let home = LiveServer.temporaryHome("jm-browser")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try LiveServer.freePort()
        let environment = ["JOBMATCH_SQL_DIR": TestCluster.sqlDirectory, "JOBMATCH_WEB_DIR": TestCluster.repositoryRoot + "/web", "LOG_LEVEL": "warning"]
        let binary = ChildProcess.jobmatchBinary
        let token = try await ChildProcess.run([binary, "staff", "add", "canbo", "--role", "officer", "--home", home], environment: environment)
            .output.split(separator: "\n").last.map(String.init) ?? ""
        let password = "Lua-gao-2026"
        let set = try await ChildProcess.run(["/bin/sh", "-c", "printf '%s\\n' '\(password)' | '\(binary)' staff password canbo --home '\(home)'"],
                                             environment: environment)
        #expect(set.status == 0, "\(set.output)")
        let server = try ChildProcess([binary, "serve", "--home", home, "--port", "\(port)"], environment: environment)
        do {
            try await self.drive(port: port, token: token, password: password, python: python, chromium: chromium, home: home, server: server)
        } catch {
            server.signal(SIGTERM)
            _ = try? await server.wait(timeout: .seconds(30))
            throw error
        }
        server.signal(SIGTERM)
        #expect(try await server.wait(timeout: .seconds(30)) == 0)
    }

    func drive(port: Int, token: String, password: String, python: String, chromium: String, home: String, server: ChildProcess) async throws {
        try await LiveServer.waitUntilHealthy(port: port, server: server)
        let base = "http://127.0.0.1:\(port)"
        let household = try await LiveServer.http("POST", base + "/api/staff/households", token: token,
                                                  json: #"{"head_name":"Trần Văn Lộc","ward_code":"31321","status":"poor","status_valid_from":"2025-01-01"}"#)
        let householdID = try #require((try? JSONSerialization.jsonObject(with: Data(household.body.utf8)) as? [String: Any])?["id"] as? Int)
        let worker = try await LiveServer.http("POST", base + "/api/staff/workers", token: token, json: """
            {"full_name":"Trần Thị Ngọc Ánh","cccd":"093190123456","birth_date":"1990-03-08","sex":"female","ward_code":"31321",
             "household_id":\(householdID),"occupation_codes":["7531"]}
            """)
        let workerID = try #require((try? JSONSerialization.jsonObject(with: Data(worker.body.utf8)) as? [String: Any])?["id"] as? Int,
                                    "\(worker.body)")
        let shots = ProcessInfo.processInfo.environment["JOBMATCH_SCREENSHOTS"]
        let run = try await ChildProcess.run(
            [python, TestCluster.repositoryRoot + "/Tests/browser/staff_app.py", base, "canbo", password, token, "\(workerID)"]
                + (shots.map { ["--screenshots", $0] } ?? []),
            environment: ["CHROMIUM": chromium, "TODAY": LocalDate.today().description, "HOME": home], timeout: .seconds(300))
        #expect(run.status == 0, "the browser suite failed:\n\(run.output.suffix(4000))")
        #expect(run.output.contains("ok: signed out: the dashboard is refused"), "\(run.output.suffix(2000))")
    }
}
