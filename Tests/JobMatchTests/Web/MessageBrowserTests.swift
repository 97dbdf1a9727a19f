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
        try await LiveServer.withOfficer("jm-messages") { served in
            let (home, base, token, password) = (served.home, served.base, served.token, served.password)
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
