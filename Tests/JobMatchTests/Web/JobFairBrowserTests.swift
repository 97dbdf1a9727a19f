import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// A job-fair session in headless Chromium against the built `jobmatch serve`:
/// `Tests/browser/job_fair.py` creates a session, adds the employer and its vacancy, checks a worker
/// in by her referral letter's code, records an interview, an offer and a hire, and opens the report.
/// With `JOBMATCH_SCREENSHOTS` set, the session page's picture is kept there as `job_fair.png`.
@Suite("Job fair in a real browser")
struct JobFairBrowserTests {
    @Test("create a session, add an employer and its vacancy, check a worker in by letter code, interview, offer, hire, open the report")
    func session() async throws {
        let chromium = try await BrowserTests.chromium()
        let python = try await BrowserTests.python()
        try await LiveServer.withOfficer("jm-fair") { served in
            let (home, base, token, password) = (served.home, served.base, served.token, served.password)
            // setup: an employer's open vacancy and a worker referred to it, with her letter's code
            let vacancyID = try await LiveServer.tailoringVacancy(base: base, token: token, closing: LocalDate(year: 2099, month: 1, day: 31)!)
            let worker = try await LiveServer.http(
                "POST",
                base + "/api/staff/workers",
                token: token,
                json: """
                    {"full_name":"Lê Thị Thu Hà","cccd":"093195000007","birth_date":"1995-03-05","sex":"female",
                     "ward_code":"31321","occupation_codes":["7531"],"consents":["referral"]}
                    """
            )
            let workerID = try #require(try? worker.body.decoded(CreatedRecord.self), "\(worker.body)").id
            let referral = try await LiveServer.http(
                "POST",
                base + "/api/staff/referrals",
                token: token,
                json: #"{"vacancy_id":\#(vacancyID),"worker_id":\#(workerID)}"#
            )
            let referralID = try #require(try? referral.body.decoded(CreatedRecord.self), "\(referral.body)").id
            let letter = try await LiveServer.http("GET", base + "/api/staff/referrals/\(referralID)/letter", token: token)
            let object = try JSONSerialization.jsonObject(with: Data(letter.body.utf8)) as? [String: Any]
            let code = try #require(object?["code"] as? String, "\(letter.body)")
            // act: the browser's steps
            let shot = home + "-job_fair.png"
            defer { try? FileManager.default.removeItem(atPath: shot) }
            let run = try await ChildProcess.run(
                [python, TestCluster.repositoryRoot + "/Tests/browser/job_fair.py", base, "canbo", password, code, "Lê Thị Thu Hà", shot],
                environment: ["CHROMIUM": chromium, "HOME": home],
                timeout: .seconds(300)
            )
            // verify
            #expect(run.status == 0, "the browser steps failed:\n\(run.output.suffix(4000))")
            #expect(run.output.contains("ok: the report: one worker came, one hired, one counted"), "\(run.output.suffix(2000))")
            if run.status == 0 { try LiveServer.keepScreenshot(shot, as: "job_fair.png") }
        }
    }
}
