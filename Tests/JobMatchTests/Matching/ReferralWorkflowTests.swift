import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Referral workflow: proposed -> referred -> interviewed -> hired | rejected | withdrawn")
struct ReferralWorkflowTests {
    @Test("a proposal is accepted, interviewed and hired; every step says who and when; employers never see proposals")
    func wholeWay() async throws {
        try await withTestApp { client, tokens, url in
            let (people, employer, vacancy) = try await People.withVacancy(client, tokens)
            let worker = try await people.worker("Lê Thị Hoa", sex: "female", household: try await people.household("poor"))

            let proposed = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": worker, "status": "proposed"],
                snakeCase: true
            )
            #expect(proposed.status == .created)
            #expect(try proposed.get().status == "proposed")
            let id = Int(try proposed.get().id)
            let employerList: () async throws -> Components.Schemas.ReferralPage = {
                try await client.answer(Components.Schemas.ReferralPage.self, .get, "/api/v1/referrals", token: employer.key).get()
            }
            #expect(try await employerList().referrals.isEmpty)
            #expect(try await client.json(.get, "/api/v1/referrals/\(id)", token: employer.key).status == .notFound)

            let accepted = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals/\(id)/accept",
                token: tokens.officer,
                snakeCase: true
            )
            #expect(accepted.status == .ok)
            #expect(try accepted.get().status == "referred")
            #expect(try await employerList().referrals.count == 1)

            #expect(
                try await client.json(
                    .post,
                    "/api/staff/referrals/\(id)/interview",
                    token: tokens.officer,
                    ["interviewed_on": "2099-01-01", "outcome": "passed"]
                ).status == .unprocessableContent
            )
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/referrals/\(id)/interview",
                    token: tokens.officer,
                    ["interviewed_on": "2026-11-20", "outcome": "passed"]
                ).status == .ok
            )
            let hired = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals/\(id)/hire",
                token: tokens.officer,
                ["start_date": "2026-12-01", "wage_vnd": 7_000_000],
                snakeCase: true
            )
            #expect(hired.status == .ok)
            #expect(try hired.get().placementId != nil)

            let events = try hired.get().events
            #expect(events.map(\.toStatus) == ["proposed", "referred", "interviewed", "hired"])
            #expect(events.allSatisfy { $0.actorKind == "staff" && $0.actorId != nil && $0.at.count == 19 })

            let again = try await client.answer(ReferralView.self, .post, "/api/staff/referrals/\(id)/accept", token: tokens.officer)
            #expect(again.status == .conflict)
            #expect(again.problem?.allowed == [])
            #expect(try await rowCount("placements", url: url) == 1)
            #expect(
                try await client.json(.post, "/api/staff/referrals/\(id)/hire", token: tokens.viewer, ["start_date": "2026-12-01"]).status
                    == .forbidden
            )
        }
    }

    @Test("referring needs the worker's consent, also when a proposal is accepted after the consent was withdrawn")
    func consent() async throws {
        try await withTestApp { client, tokens, url in
            let (people, _, vacancy) = try await People.withVacancy(client, tokens)
            let noConsent = try await people.worker("Võ Văn Chưa", consents: [])
            let refused = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": noConsent]
            )
            #expect(refused.status == .conflict)
            #expect(refused.problem?.detail?.contains("đồng ý") == true)
            #expect(refused.problem?.field == "worker_id")
            #expect(try await rowCount("referrals", url: url) == 0)

            let worker = try await people.worker("Trần Văn Đồng")
            let id = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": worker, "status": "proposed"],
                snakeCase: true
            ).get().id
            try await people.withdrawConsent(worker)
            let accept = try await client.answer(ReferralView.self, .post, "/api/staff/referrals/\(id)/accept", token: tokens.officer)
            #expect(accept.status == .conflict)
            #expect(accept.problem?.detail?.contains("đồng ý") == true)
            #expect(
                try await client.answer(ReferralView.self, .get, "/api/staff/referrals/\(id)", token: tokens.viewer, snakeCase: true).get().status
                    == "proposed"
            )
            #expect(try await rowCount("webhook_deliveries", url: url) == 0)
        }
    }

    @Test("a proposal is dropped with a reason; a rejection needs one; the score stays as it was when the worker was referred")
    func dropRejectAndScore() async throws {
        try await withTestApp { client, tokens, url in
            let (people, _, vacancy) = try await People.withVacancy(client, tokens)
            let first = try await people.worker("Lê Văn Một", household: try await people.household("poor"))
            let second = try await people.worker("Lê Văn Hai")

            let proposal = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": first, "status": "proposed"],
                snakeCase: true
            ).get().id
            let blank = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals/\(proposal)/withdraw",
                token: tokens.officer,
                ["reason": " "]
            )
            #expect(blank.status == .unprocessableContent)
            #expect(blank.problem?.field == "reason")
            let dropped = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals/\(proposal)/withdraw",
                token: tokens.officer,
                ["reason": "Người lao động đã có việc khác"],
                snakeCase: true
            ).get()
            #expect(dropped.status == "withdrawn")
            #expect(dropped.events.last?.note == "Người lao động đã có việc khác")
            #expect(try await client.json(.post, "/api/staff/referrals/\(proposal)/accept", token: tokens.officer).status == .conflict)

            let referred = try await client.answer(
                ReferralView.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": second],
                snakeCase: true
            ).get()
            let id = referred.id
            #expect(
                try await client.json(.put, "/api/staff/matching/weights", token: tokens.admin, ["weights": ["occupation_unit_group": 300]]).status
                    == .ok
            )
            let later = try await client.answer(ReferralView.self, .get, "/api/staff/referrals/\(id)", token: tokens.viewer, snakeCase: true).get()
            #expect(later.score == referred.score)
            #expect(later.scoreParts == referred.scoreParts)
            let noReason = try await client.answer(ReferralView.self, .post, "/api/staff/referrals/\(id)/reject", token: tokens.officer, [:])
            #expect(noReason.status == .badRequest)
            #expect(noReason.problem?.field == "reason")
            #expect(
                try await client.json(.post, "/api/staff/referrals/\(id)/reject", token: tokens.officer, ["reason": "Chưa đủ kinh nghiệm"]).status
                    == .ok
            )
            #expect(try await rowCount("referrals WHERE status = 'rejected' AND rejection_reason = 'Chưa đủ kinh nghiệm'", url: url) == 1)
        }
    }

    @Test("hiring for the last open slot from staff and the employer at once: exactly one wins")
    func lastSlot() async throws {
        try await withTestApp { client, tokens, url in
            let people = People(client: client, tokens: tokens)
            let employer = try await TestEmployer.make(client, tokens)
            for round in 0..<3 {
                let vacancy = try await postVacancy(client, key: employer.key, ["slots": 1])
                var referrals: [Int] = []
                for n in 0..<2 {
                    let worker = try await people.worker("Nguyễn Văn \(["An", "Bình", "Cường", "Dũng", "Em", "Phúc"][round * 2 + n])")
                    referrals.append(
                        Int(
                            try await client.answer(
                                ReferralView.self,
                                .post,
                                "/api/staff/referrals",
                                token: tokens.officer,
                                ["vacancy_id": vacancy, "worker_id": worker],
                                snakeCase: true
                            ).get().id
                        )
                    )
                }
                let (staffSide, employerSide) = (referrals[0], referrals[1])
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    group.addTask {
                        try await client.json(.post, "/api/staff/referrals/\(staffSide)/hire", token: tokens.officer, ["start_date": "2026-12-01"])
                            .status
                    }
                    group.addTask {
                        try await client.json(.post, "/api/v1/referrals/\(employerSide)/hire", token: employer.key, ["start_date": "2026-12-01"])
                            .status
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 1, "round \(round): \(statuses)")
                #expect(try await rowCount("placements p JOIN referrals r ON r.id = p.referral_id WHERE r.vacancy_id = \(vacancy)", url: url) == 1)
                #expect(try await rowCount("vacancies WHERE id = \(vacancy) AND slots_filled = 1", url: url) == 1)
            }
        }
    }
}
