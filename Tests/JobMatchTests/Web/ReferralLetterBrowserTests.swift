import EmployerAPI
import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// The referral letter in headless Chromium against the built `jobmatch serve`:
/// `Tests/browser/referral_letter.py` refers a worker, prints her letter to PDF (one A4 page), reads
/// the QR code from a screenshot with zxing-cpp, opens the address without signing in ("Còn hiệu
/// lực"), withdraws the referral and sees the letter ended. With `JOBMATCH_SCREENSHOTS` set, the
/// screenshot is kept there as `referral_letter_print.png`.
@Suite("Referral letter in a real browser")
struct ReferralLetterBrowserTests {
    @Test("refer a worker, print her letter on one A4 page, scan its QR code from the picture, see it current, withdraw, see it ended")
    func letter() async throws {
        let chromium = try await BrowserTests.chromium()
        let python = try await BrowserTests.python()
        let zxing = try await QRDecoder.python()
        try await LiveServer.withOfficer("jm-letter", environment: { ["PUBLIC_BASE_URL": $0, "CENTRE_PHONE": "0293 3870 123"] }) { served in
            let (home, base, token, password) = (served.home, served.base, served.token, served.password)
            // setup: an employer's open vacancy for tailors in Vị Thanh and a worker who seeks it
            let vacancyID = try await LiveServer.tailoringVacancy(base: base, token: token, closing: LocalDate(year: 2099, month: 1, day: 31)!)
            let worker = try await LiveServer.http(
                "POST",
                base + "/api/staff/workers",
                token: token,
                json: """
                    {"full_name":"Lê Thị Thu Hà","cccd":"093195000007","birth_date":"1995-03-05","sex":"female","phone":"0912345678",
                     "ward_code":"31321","occupation_codes":["7531"],"consents":["referral"]}
                    """
            )
            #expect(worker.code == "201", "\(worker.body)")
            // act: the browser's steps
            let shot = home + "-referral_letter_print.png"
            defer { try? FileManager.default.removeItem(atPath: shot) }
            let run = try await ChildProcess.run(
                [
                    python, TestCluster.repositoryRoot + "/Tests/browser/referral_letter.py", base, "canbo", password, "\(vacancyID)",
                    "Lê Thị Thu Hà", shot,
                ],
                environment: [
                    "CHROMIUM": chromium, "HOME": home, "QR_PYTHON": zxing, "QR_SCRIPT": QRDecoder.script,
                ],
                timeout: .seconds(300)
            )
            // verify
            #expect(run.status == 0, "the browser steps failed:\n\(run.output.suffix(4000))")
            #expect(run.output.contains("ok: withdrawn: the same address now says: Đã hết hiệu lực"), "\(run.output.suffix(2000))")
            if run.status == 0 { try LiveServer.keepScreenshot(shot, as: "referral_letter_print.png") }
        }
    }
}
