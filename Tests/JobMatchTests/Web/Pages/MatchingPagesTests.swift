import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Vacancies, their ranked candidates with the score explained, and a referral taken to a hire.
@Suite("Web app: vacancies, candidates and referrals")
struct MatchingPagesTests {
    @Test(
        "a vacancy's candidates show each score part in Vietnamese; refer one, a wrong hire date is refused on the page, then hire: the placement counts"
    )
    func referAndHire() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household())
            let workerID = try await client.created(
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(household: Int64(household)).consenting()
            )
            let employer = try await TestEmployer.make(client, tokens)
            let vacancyID = Int(
                try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy()).get().id
            )

            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let list = try await browser.get("/vacancies")
            #expect(list.status == .ok && list.html.contains("/vacancies/\(vacancyID)\">Thợ hàn</a>"))
            #expect(try await browser.get("/vacancies?status=closed").html.contains("Không có vị trí nào."))
            let candidates = try await browser.get("/vacancies/\(vacancyID)/candidates")
            #expect(candidates.status == .ok)
            #expect(candidates.html.contains("Trần Thị Bình") && candidates.html.contains("Hộ nghèo"))
            #expect(candidates.html.contains("điểm: Hoàn cảnh hộ gia đình (theo chuẩn nghèo hiện hành): Hộ nghèo"), "each part explained")
            let token = try #require(candidates.csrf)

            let referred = try await browser.post("/vacancies/\(vacancyID)/referrals", [("_csrf", token), ("worker_id", "\(workerID)")])
            #expect(referred.status == .seeOther)
            let referralPath = try #require(referred.location?.split(separator: "?").first.map(String.init))
            let referral = try await browser.get(referralPath + "?done=referred")
            #expect(referral.html.contains("Đã giới thiệu người lao động.") && referral.html.contains("Ghi nhận tuyển dụng"))
            let again = try await browser.post("/vacancies/\(vacancyID)/referrals", [("_csrf", token), ("worker_id", "\(workerID)")])
            #expect(again.status == .conflict || again.status == .unprocessableContent, "referred twice: the API's refusal, on the candidates page")
            #expect(again.html.contains("class=\"alert\""))

            let tomorrow = LocalDate.today().adding(days: 1).vietnamese
            let future = try await browser.post(referralPath + "/interview", [("_csrf", token), ("interviewed_on", tomorrow), ("outcome", "passed")])
            #expect(future.status == .unprocessableContent && future.html.contains("Ngày phỏng vấn không thể ở tương lai."))
            let badDate = try await browser.post(referralPath + "/hire", [("_csrf", token), ("start_date", "32/13/2026"), ("wage_vnd", "7.000.000")])
            #expect(
                badDate.status == .unprocessableContent && badDate.html.contains("ngày/tháng/năm") && badDate.html.contains("value=\"7.000.000\"")
            )
            let hired = try await browser.post(
                referralPath + "/hire",
                [("_csrf", token), ("start_date", LocalDate.today().vietnamese), ("wage_vnd", "7.000.000")]
            )
            #expect(hired.status == .seeOther && hired.location?.hasSuffix("?done=hired") == true)
            let after = try await browser.get(referralPath)
            #expect(after.html.contains("đã tính vào chỉ tiêu") && after.html.contains("Đã tuyển"))
            #expect(!after.html.contains("Ghi nhận tuyển dụng"), "no further step after a hire")
            let page = try await browser.get("/vacancies/\(vacancyID)")
            #expect(page.html.contains("đã tuyển 1 / cần 2 người"))

            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let seen = try await viewer.get("/vacancies/\(vacancyID)/candidates")
            #expect(seen.status == .ok && !seen.html.contains(">Giới thiệu</button>"), "viewers see no refer button")
            let viewerToken = try #require(seen.csrf)
            #expect(
                try await viewer.post("/vacancies/\(vacancyID)/referrals", [("_csrf", viewerToken), ("worker_id", "\(workerID)")]).status
                    == .forbidden
            )
        }
    }
}
