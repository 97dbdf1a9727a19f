import EmployerAPI
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
            let vacancy = Int(
                try await client.answer(
                    Components.Schemas.Vacancy.self,
                    .post,
                    "/api/v1/vacancies",
                    token: employer.key,
                    Sample.vacancy()
                ).get().id
            )
            let (withoutConsent, _) = try await referWorker(client, tokens, vacancy: vacancy)
            let (withConsent, _) = try await referWorker(
                client,
                tokens,
                vacancy: vacancy,
                cccd: "093190654321",
                consents: ["referral", "share_contact_with_employer"],
                phone: "0987654321"
            )
            let answer = try await client.raw(.get, "/api/v1/referrals?vacancy_id=\(vacancy)", token: employer.key)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let list = try decoder.decode(Components.Schemas.ReferralPage.self, from: Data(buffer: answer.body)).referrals
            #expect(list.map(\.id) == [Int64(withoutConsent), Int64(withConsent)])
            let (first, second) = (list[0].candidate, list[1].candidate)
            #expect(first.fullName == "Trần Thị Bình")
            #expect(first.occupations.first?.code == "7212")
            #expect(first.phone == nil)
            #expect(second.phone == "0987654321")
            // The whole answer as sent, not only the fields the contract names.
            let text = String(buffer: answer.body)
            for secret in ["093190123456", "093190654321", "1990-05-01", "cccd", "birth", "disability", "household", "0912345678"] {
                #expect(!text.contains(secret), "\(secret)")
            }
        }
    }

    @Test("interview, hire (a placement and a filled slot) and rejection with a reason; wrong steps get 409 with the allowed ones")
    func outcomes() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = Int(
                try await client.answer(
                    Components.Schemas.Vacancy.self,
                    .post,
                    "/api/v1/vacancies",
                    token: employer.key,
                    Sample.vacancy(slots: 1)
                ).get().id
            )
            let (hired, _) = try await referWorker(client, tokens, vacancy: vacancy)
            let (rejected, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190654321")

            typealias Referral = Components.Schemas.Referral
            let interview = try await client.answer(
                Referral.self,
                .post,
                "/api/v1/referrals/\(hired)/interview",
                token: employer.key,
                ["interviewed_on": "2026-11-20", "outcome": "passed", "note": "Tay nghề tốt"]
            )
            #expect(interview.status == .ok)
            #expect(try interview.get().status == .interviewed)
            #expect(try interview.get().interview?.outcome == .passed)
            let again = try await client.answer(
                Referral.self,
                .post,
                "/api/v1/referrals/\(hired)/interview",
                token: employer.key,
                ["interviewed_on": "2026-11-21", "outcome": "passed"]
            )
            #expect(again.status == .conflict)
            #expect(Set(again.problem?.allowed ?? []) == ["hired", "rejected", "withdrawn"])

            let hire = try await client.answer(
                Referral.self,
                .post,
                "/api/v1/referrals/\(hired)/hire",
                token: employer.key,
                ["start_date": "2026-12-01", "wage_vnd": 7_500_000]
            )
            #expect(hire.status == .ok)
            #expect(try hire.get().hire?.wageVnd == 7_500_000)
            #expect(try await rowCount("placements WHERE referral_id = \(hired) AND channel = 'vacancy_hire'", url: url) == 1)
            #expect(try await rowCount("vacancies WHERE id = \(vacancy) AND slots_filled = 1", url: url) == 1)
            #expect(try await rowCount("referral_events WHERE referral_id = \(hired) AND actor_kind = 'employer'", url: url) == 2)
            // The only slot is taken: a second hire is refused and writes nothing.
            #expect(
                try await client.json(.post, "/api/v1/referrals/\(rejected)/hire", token: employer.key, ["start_date": "2026-12-01"]).status
                    == .conflict
            )
            #expect(try await rowCount("placements", url: url) == 1)

            let blank = try await client.answer(Referral.self, .post, "/api/v1/referrals/\(rejected)/reject", token: employer.key, ["reason": " "])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.problem?.field == "reason")
            let reject = try await client.answer(
                Referral.self,
                .post,
                "/api/v1/referrals/\(rejected)/reject",
                token: employer.key,
                ["reason": "Không đủ kinh nghiệm hàn TIG"]
            )
            #expect(try reject.get().status == .rejected)
            #expect(try reject.get().rejectionReason == "Không đủ kinh nghiệm hàn TIG")
            let done = try await client.answer(Referral.self, .post, "/api/v1/referrals/\(rejected)/reject", token: employer.key, ["reason": "x"])
            #expect(done.status == .conflict)
            #expect(done.problem?.allowed ?? [] == [])

            // A day to come is refused by the rule (422 naming the day); an outcome outside the contract's list is not JSON of the contract (400).
            let refusals: [([String: String], HTTPResponse.Status, String)] = [
                (["interviewed_on": "2099-01-01", "outcome": "passed"], .unprocessableContent, "interviewed_on"),
                (["interviewed_on": "2026-11-20", "outcome": "maybe"], .badRequest, "outcome"),
            ]
            for (body, status, field) in refusals {
                let (other, _) = try await referWorker(
                    client,
                    tokens,
                    vacancy: vacancy,
                    cccd: body["outcome"] == "maybe" ? "093190111111" : "093190222222"
                )
                let refused = try await client.answer(Referral.self, .post, "/api/v1/referrals/\(other)/interview", token: employer.key, body)
                #expect(refused.status == status)
                #expect(refused.problem?.field == field)
                #expect(try await rowCount("referrals WHERE id = \(other) AND status = 'referred'", url: url) == 1)
            }
        }
    }
}
