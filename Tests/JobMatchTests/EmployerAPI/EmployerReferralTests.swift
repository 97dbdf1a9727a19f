import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API: referrals")
struct EmployerReferralTests {
    @Test("the employer sees the minimum about a candidate; the phone only with the worker's consent to share it")
    func minimum() async throws {
        try await withTestApp { client, tokens, _ in
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await client.json(.post, "/api/v1/vacancies", token: employer.key, Sample.vacancy()).body["id"] as! Int
            let (withoutConsent, _) = try await referWorker(client, tokens, vacancy: vacancy)
            let (withConsent, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190654321",
                                                         consents: ["referral", "share_contact_with_employer"], phone: "0987654321")
            let list = try await client.json(.get, "/api/v1/referrals?vacancy_id=\(vacancy)", token: employer.key).body["referrals"] as! [[String: Any]]
            #expect(list.map { $0["id"] as? Int } == [withoutConsent, withConsent])
            let first = list[0]["candidate"] as! [String: Any]
            let second = list[1]["candidate"] as! [String: Any]
            #expect(first["full_name"] as? String == "Trần Thị Bình")
            #expect((first["occupations"] as? [[String: Any]])?.first?["code"] as? String == "7212")
            #expect(first["phone"] == nil || first["phone"] is NSNull)
            #expect(second["phone"] as? String == "0987654321")
            let text = String(decoding: try JSONSerialization.data(withJSONObject: list), as: UTF8.self)
            for secret in ["093190123456", "093190654321", "1990-05-01", "cccd", "birth", "disability", "household", "0912345678"] {
                #expect(!text.contains(secret), "\(secret)")
            }
        }
    }

    @Test("interview, hire (a placement and a filled slot) and rejection with a reason; wrong steps get 409 with the allowed ones")
    func outcomes() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await client.json(.post, "/api/v1/vacancies", token: employer.key, Sample.vacancy(slots: 1)).body["id"] as! Int
            let (hired, _) = try await referWorker(client, tokens, vacancy: vacancy)
            let (rejected, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190654321")

            let interview = try await client.json(.post, "/api/v1/referrals/\(hired)/interview", token: employer.key,
                                                  ["interviewed_on": "2026-11-20", "outcome": "passed", "note": "Tay nghề tốt"])
            #expect(interview.status == .ok)
            #expect(interview.body["status"] as? String == "interviewed")
            #expect((interview.body["interview"] as? [String: Any])?["outcome"] as? String == "passed")
            let again = try await client.json(.post, "/api/v1/referrals/\(hired)/interview", token: employer.key,
                                              ["interviewed_on": "2026-11-21", "outcome": "passed"])
            #expect(again.status == .conflict)
            #expect(Set(again.body["allowed"] as? [String] ?? []) == ["hired", "rejected", "withdrawn"])

            let hire = try await client.json(.post, "/api/v1/referrals/\(hired)/hire", token: employer.key,
                                             ["start_date": "2026-12-01", "wage_vnd": 7_500_000])
            #expect(hire.status == .ok)
            #expect((hire.body["hire"] as? [String: Any])?["wage_vnd"] as? Int == 7_500_000)
            #expect(try await rowCount("placements WHERE referral_id = \(hired) AND channel = 'vacancy_hire'", url: url) == 1)
            #expect(try await rowCount("vacancies WHERE id = \(vacancy) AND slots_filled = 1", url: url) == 1)
            #expect(try await rowCount("referral_events WHERE referral_id = \(hired) AND actor_kind = 'employer'", url: url) == 2)
            // The only slot is taken: a second hire is refused and writes nothing.
            #expect(try await client.json(.post, "/api/v1/referrals/\(rejected)/hire", token: employer.key, ["start_date": "2026-12-01"]).status == .conflict)
            #expect(try await rowCount("placements", url: url) == 1)

            #expect(try await client.json(.post, "/api/v1/referrals/\(rejected)/reject", token: employer.key, ["reason": " "]).body["field"] as? String == "reason")
            let reject = try await client.json(.post, "/api/v1/referrals/\(rejected)/reject", token: employer.key, ["reason": "Không đủ kinh nghiệm hàn TIG"])
            #expect(reject.body["status"] as? String == "rejected")
            #expect(reject.body["rejection_reason"] as? String == "Không đủ kinh nghiệm hàn TIG")
            let done = try await client.json(.post, "/api/v1/referrals/\(rejected)/reject", token: employer.key, ["reason": "x"])
            #expect(done.status == .conflict)
            #expect((done.body["allowed"] as? [String])?.isEmpty ?? true)

            for body in [["interviewed_on": "2099-01-01", "outcome": "passed"], ["interviewed_on": "2026-11-20", "outcome": "maybe"]] {
                let (other, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: body["outcome"] == "maybe" ? "093190111111" : "093190222222")
                #expect(try await client.json(.post, "/api/v1/referrals/\(other)/interview", token: employer.key, body).status.code >= 400)
                #expect(try await rowCount("referrals WHERE id = \(other) AND status = 'referred'", url: url) == 1)
            }
        }
    }
}
