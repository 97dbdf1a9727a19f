import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// Registers people for matching tests through the staff API.
struct People {
    let client: any TestClientProtocol
    let tokens: TestTokens

    /// A household of `status` since 2025; returns its id.
    func household(_ status: String) async throws -> Int {
        try await client.answer(
            CreatedRecord.self,
            .post,
            "/api/staff/households",
            token: tokens.officer,
            Sample.household(status: status, from: "2025-01-01")
        ).get().id
    }

    /// A worker seeking work (no CCCD needed here); returns their id.
    func worker(
        _ name: String,
        birth: String = "1995-03-10",
        sex: String = "male",
        occupations: [String] = ["7212"],
        household: Int? = nil,
        consents: [String] = ["referral"],
        ward: String = Sample.ward,
        maxCommuteKm: Int? = nil,
        ethnicity: String? = nil,
        disability: Bool = false,
        status: String? = nil
    ) async throws -> Int {
        var body: [String: Any] = [
            "full_name": name, "birth_date": birth, "sex": sex, "ward_code": ward, "occupation_codes": occupations,
            "consents": consents,
        ]
        if let household { body["household_id"] = household }
        if let maxCommuteKm { body["max_commute_km"] = maxCommuteKm }
        if let ethnicity { body["ethnicity"] = ethnicity }
        if disability { (body["disability_type"], body["disability_severity"]) = ("motor", "mild") }
        if let status { body["job_seeking_status"] = status }
        return try await client.answer(CreatedRecord.self, .post, "/api/staff/workers", token: tokens.officer, body).get().id
    }

    /// Withdraws the worker's referral consent (in person).
    func withdrawConsent(_ worker: Int) async throws {
        struct Consent: Decodable {
            let id: Int
            let purpose: String
        }
        struct Consents: Decodable {
            let consents: [Consent]
        }
        let consents = try await client.answer(Consents.self, .get, "/api/staff/workers/\(worker)/consents", token: tokens.officer).get().consents
        let id = try #require(consents.first { $0.purpose == "referral" }).id
        let response = try await client.json(
            .post,
            "/api/staff/workers/\(worker)/consents/\(id)/withdraw",
            token: tokens.officer,
            ["means": "in_person"]
        )
        guard response.status == .ok else { throw TestFailure("withdraw consent: \(response.status) \(response.body)") }
    }

    /// People, an employer with a key and one open vacancy of theirs (welding, two slots).
    static func withVacancy(
        _ client: any TestClientProtocol,
        _ tokens: TestTokens
    ) async throws -> (people: People, employer: TestEmployer, vacancy: Int) {
        let employer = try await TestEmployer.make(client, tokens)
        return (People(client: client, tokens: tokens), employer, try await postVacancy(client, key: employer.key))
    }

    /// The ranked candidates: (worker id, score, parts).
    func candidates(_ vacancy: Int, token: String? = nil) async throws -> [(id: Int, score: Int, parts: [ScorePart])] {
        let list = try await client.answer(
            CandidateList.self,
            .get,
            "/api/staff/vacancies/\(vacancy)/candidates?limit=50",
            token: token ?? tokens.viewer,
            snakeCase: true
        ).get()
        return list.candidates.map { (Int($0.workerId), $0.score, $0.scoreParts) }
    }
}

/// A vacancy posted through the employer API; returns its id.
func postVacancy(_ client: any TestClientProtocol, key: String, _ extra: [String: Any] = [:]) async throws -> Int {
    var body = Sample.vacancy()
    for (name, value) in extra { body[name] = value }
    return Int(try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: key, body).get().id)
}

@Suite("Candidates for a vacancy: hard filters, then a score whose every part is explained")
struct CandidateTests {
    @Test("only eligible workers are listed, ranked by priority group, occupation and the plan's priorities, with every part")
    func filtersAndRanking() async throws {
        try await withTestApp { client, tokens, url in
            let people = People(client: client, tokens: tokens)
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await postVacancy(client, key: employer.key, ["min_age": 18, "max_age": 45])

            let poor = try await people.worker("Lê Văn Nghèo", household: try await people.household("poor"))
            let nearPoorWoman = try await people.worker("Trần Thị Cận", sex: "female", household: try await people.household("near_poor"))
            let otherTrade = try await people.worker("Phạm Văn Khác", occupations: ["9111"])
            let noConsent = try await people.worker("Võ Văn Chưa", consents: [])
            let withdrawn = try await people.worker("Đỗ Văn Rút")
            let employed = try await people.worker("Ngô Văn Làm", status: "employed")
            let tooOld = try await people.worker("Hồ Văn Già", birth: "1960-01-01")
            let farAway = try await people.worker("Lý Văn Xa", ward: "00004", maxCommuteKm: 10)
            let referred = try await people.worker("Mai Văn Đã")
            #expect(
                try await client.json(.post, "/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancy, "worker_id": referred]).status
                    == .created
            )
            try await people.withdrawConsent(withdrawn)

            let list = try await people.candidates(vacancy)
            #expect(list.map(\.id) == [poor, nearPoorWoman, otherTrade])
            for excluded in [noConsent, withdrawn, employed, tooOld, farAway, referred] { #expect(!list.map(\.id).contains(excluded)) }
            for candidate in list {
                #expect(candidate.score == candidate.parts.map(\.points).reduce(0, +))
                #expect(candidate.parts.allSatisfy { !$0.reason.isEmpty && $0.points >= 0 })
                #expect(
                    Set(candidate.parts.map(\.key)) == [
                        "priority_group", "occupation_match", "training", "distance",
                        "waiting_time", "woman", "disability", "ethnic_minority",
                    ]
                )
            }
            let woman = try #require(list[1].parts.first { $0.key == "woman" })
            #expect(woman.points == 5)
            #expect(list[0].score == 40 + 30 + 15)  // poor, same unit group, at the workplace
            // Viewing candidates shows household status: the read is audited.
            #expect(try await rowCount("audit_log WHERE action = 'view_candidates' AND entity_id = '\(vacancy)'", url: url) == 1)
        }
    }

    @Test("weights: staff read them, only an admin changes them, every change is audited, a negative weight is refused")
    func weights() async throws {
        try await withTestApp { client, tokens, url in
            let (people, _, vacancy) = try await People.withVacancy(client, tokens)
            let poorOtherTrade = try await people.worker("Lê Văn Nghèo", occupations: ["9111"], household: try await people.household("poor"))
            let sameTrade = try await people.worker("Trần Văn Nghề")
            #expect(try await people.candidates(vacancy).map(\.id) == [poorOtherTrade, sameTrade])

            let listed = try await client.answer(MatchWeightsRepository.WeightList.self, .get, "/api/staff/matching/weights", token: tokens.viewer)
                .get()
            #expect(listed.weights.count == 14)
            #expect(
                try await client.json(.put, "/api/staff/matching/weights", token: tokens.officer, ["weights": ["priority_poor": 0]]).status
                    == .forbidden
            )
            let negative = try await client.answer(
                MatchWeightsRepository.WeightList.self,
                .put,
                "/api/staff/matching/weights",
                token: tokens.admin,
                ["weights": ["priority_woman": -5, "priority_poor": 0]]
            )
            #expect(negative.status == .unprocessableContent)
            #expect(negative.problem?.field == "weights.priority_woman")
            let unknown = try await client.answer(
                MatchWeightsRepository.WeightList.self,
                .put,
                "/api/staff/matching/weights",
                token: tokens.admin,
                ["weights": ["no_such": 1]]
            )
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.problem?.field == "weights.no_such")
            #expect(try await rowCount("match_weights WHERE key = 'priority_poor' AND points = 40", url: url) == 1)

            let changed = try await client.json(.put, "/api/staff/matching/weights", token: tokens.admin, ["weights": ["priority_poor": 5]])
            #expect(changed.status == .ok)
            #expect(try await people.candidates(vacancy).map(\.id) == [sameTrade, poorOtherTrade])
            #expect(
                try await rowCount(
                    "audit_log WHERE entity = 'match_weights' AND before->>'priority_poor' = '40' AND after->>'priority_poor' = '5'",
                    url: url
                ) == 1
            )
        }
    }
}
