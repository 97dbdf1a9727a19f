import EmployerAPI
import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// The outbox of messages in headless Chromium (`Tests/browser/messages.py`, the same Playwright
/// and Chromium as `BrowserTests`) against the built `jobmatch serve` without a gateway: the
/// officer finds the referral's message waiting, filters, prints the list on A4 and downloads it.
@Suite("Web app in a real browser: messages to workers")
struct MessageBrowserTests {
    @Test("the outbox in the menu, filtered, printed on one A4 page without the menu, downloaded as CSV, marked printed")
    func outbox() async throws {
        let chromium = try await BrowserTests.chromium()
        let python = try await BrowserTests.python()
        let home = LiveServer.temporaryHome("jm-messages")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try LiveServer.freePort()
        let environment = LiveServer.environment()
        let token = try await LiveServer.addStaff("canbo", home: home, environment: environment)
        let password = "Lua-gao-2026"
        try await LiveServer.setPassword("canbo", password, home: home, environment: environment)
        try await LiveServer.serving(home: home, port: port, environment: environment) { server in
            try await LiveServer.waitUntilHealthy(port: port, server: server)
            let base = "http://127.0.0.1:\(port)"
            let vacancyID = try await LiveServer.tailoringVacancy(base: base, token: token)
            let worker = try await LiveServer.http(
                "POST",
                base + "/api/staff/workers",
                token: token,
                json: """
                    {"full_name":"Lê Thị Thu Hà","cccd":"093195000007","birth_date":"1995-03-05","sex":"female","ward_code":"31321",
                     "occupation_codes":["7531"],"phone":"0987654321","consents":["referral","messages"],"consent_means":"paper_form"}
                    """
            )
            let workerID = try #require(try? worker.body.decoded(CreatedRecord.self), "\(worker.body)").id
            let referral = try await LiveServer.http(
                "POST",
                base + "/api/staff/referrals",
                token: token,
                json: #"{"vacancy_id":\#(vacancyID),"worker_id":\#(workerID)}"#
            )
            #expect(referral.code == "201", "\(referral.body)")
            let shots = ProcessInfo.processInfo.environment["JOBMATCH_SCREENSHOTS"]
            let run = try await ChildProcess.run(
                [python, TestCluster.repositoryRoot + "/Tests/browser/messages.py", base, "canbo", password, "0987654321"]
                    + (shots.map { ["--screenshots", $0] } ?? []),
                environment: ["CHROMIUM": chromium, "HOME": home],
                timeout: .seconds(300)
            )
            #expect(run.status == 0, "the browser run failed:\n\(run.output.suffix(4000))")
            #expect(run.output.contains("ok: the message is marked printed and no longer waits"), "\(run.output.suffix(2000))")
        }
    }
}
