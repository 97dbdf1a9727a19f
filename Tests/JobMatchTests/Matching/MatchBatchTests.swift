import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Batch assignment of all open vacancies")
struct MatchBatchTests {
    /// Three one-slot vacancies and four workers where taking the best pair first loses:
    /// returns the proposals as "vacancy title -> worker name" and the batch.
    static func scenario(
        _ client: any TestClientProtocol,
        _ tokens: TestTokens
    ) async throws
        -> (pairs: [String], batch: MatchBatchService.BatchView, names: [Int: String])
    {
        let people = People(client: client, tokens: tokens)
        let employer = try await TestEmployer.make(client, tokens)
        var titles: [Int: String] = [:]
        for (title, occupation) in [("Thợ hàn", "7212"), ("Đầu bếp", "5120"), ("Tạp vụ", "9111")] {
            titles[try await postVacancy(client, key: employer.key, ["title": title, "occupation_code": occupation, "slots": 1])] = title
        }
        var names: [Int: String] = [:]
        names[
            try await people.worker("Lê Thị Hai Nghề", sex: "female", occupations: ["7212", "5120"], household: try await people.household("poor"))
        ] = "X"
        names[try await people.worker("Trần Văn Hàn", occupations: ["7212"], household: try await people.household("poor"))] = "Y"
        names[try await people.worker("Phạm Văn Cận", occupations: ["9111"], household: try await people.household("near_poor"))] = "W"
        names[try await people.worker("Đỗ Văn Không", occupations: ["7212"])] = "Z"
        let batch = try await Self.runBatch(client, tokens)
        let pairs = batch.items.map { "\(titles[Int($0.vacancyId)] ?? "?") -> \(names[Int($0.workerId)] ?? "?")" }.sorted()
        return (pairs, batch, names)
    }

    /// Runs a batch as an officer; throws unless it is created.
    static func runBatch(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> MatchBatchService.BatchView {
        let run = try await client.answer(
            MatchBatchService.BatchView.self,
            .post,
            "/api/staff/matching/batches",
            token: tokens.officer,
            snakeCase: true
        )
        guard run.status == .created else { throw TestFailure("batch: \(run.status) \(String(describing: run.problem))") }
        return try run.get()
    }

    @Test(
        "optimal over all vacancies, priority groups first, better than greedy; explained; nothing reaches employers; the same data gives the same batch"
    )
    func optimalAndDeterministic() async throws {
        let expected = ["Thợ hàn -> Y", "Tạp vụ -> W", "Đầu bếp -> X"]
        try await withTestApp { client, tokens, url in
            let (pairs, batch, _) = try await Self.scenario(client, tokens)
            // X fits the welding and the cook's job equally well; greedy gives X the welding job first, leaving Y only
            // the cook's job (total 220); the optimum gives Y the welding job and X the cook's job (250).
            #expect(pairs == expected)
            #expect(batch.priorityProposals == 3)
            #expect(batch.totalScore == 250)
            #expect(batch.greedyTotalScore == 220)
            for item in batch.items {
                #expect(item.status == "proposed")
                #expect(try item.scoreParts.map(\.points).reduce(0, +) == item.score)
            }
            #expect(try await rowCount("webhook_deliveries", url: url) == 0)
            struct Keys: Decodable {
                struct Key: Decodable { let id: Int }
                let keys: [Key]
            }
            let employerKeys = try await client.answer(Keys.self, .get, "/api/staff/employers/1/keys", token: tokens.officer).get().keys
            #expect(employerKeys.count == 1)
            #expect(try await rowCount("referral_events WHERE to_status = 'proposed' AND note LIKE 'Lượt ghép tự động #%'", url: url) == 3)

            // Slots held by pending proposals are not proposed again.
            let again = try await client.answer(
                MatchBatchService.BatchView.self,
                .post,
                "/api/staff/matching/batches",
                token: tokens.officer,
                snakeCase: true
            )
            #expect(again.status == .created)
            #expect(try again.get().proposals == 0)
            #expect(try await client.json(.post, "/api/staff/matching/batches", token: tokens.viewer).status == .forbidden)
            let none = try await client.answer(
                MatchBatchService.BatchView.self,
                .post,
                "/api/staff/matching/batches",
                token: tokens.officer,
                ["candidates_per_vacancy": 0]
            )
            #expect(none.status == .unprocessableContent)
            #expect(none.problem?.field == "candidates_per_vacancy")
        }
        try await withTestApp { client, tokens, _ in
            let again = try await Self.scenario(client, tokens).pairs
            #expect(again == expected)
        }
    }

    @Test("staff accept or drop each proposal; only accepted ones reach the employer")
    func acceptOrDrop() async throws {
        try await withTestApp { client, tokens, url in
            let (_, batch, _) = try await Self.scenario(client, tokens)
            let accepted = batch.items[0].referralId
            let dropped = batch.items[1].referralId
            #expect(try await client.json(.post, "/api/staff/referrals/\(accepted)/accept", token: tokens.officer).status == .ok)
            #expect(
                try await client.json(.post, "/api/staff/referrals/\(dropped)/withdraw", token: tokens.officer, ["reason": "Không phù hợp ca làm"])
                    .status == .ok
            )
            let shown = try await client.answer(
                MatchBatchService.BatchView.self,
                .get,
                "/api/staff/matching/batches/\(batch.id)",
                token: tokens.viewer,
                snakeCase: true
            ).get()
            #expect(shown.items.map(\.status).sorted() == ["proposed", "referred", "withdrawn"])
            #expect(try await rowCount("webhook_deliveries", url: url) == 0)  // no webhook registered, and none queued for proposals
            #expect(try await rowCount("referrals WHERE status = 'referred' AND batch_id IS NOT NULL", url: url) == 1)
            #expect(try await client.json(.get, "/api/staff/matching/batches/999", token: tokens.viewer).status == .notFound)
        }
    }

    @Test(
        "over a varied population where every vacancy's own top 20 overlaps the others': every slot the filters allow is given an eligible worker, proven optimal"
    )
    func fillsEverySlot() async throws {
        try await withTestApp { _, _, url in
            try await MatchingVariety.seed(url: url, workers: 400, vacancies: 12)
            // Forty more one-slot vacancies of the most common trade in one ward: their top-20 lists are the same people.
            try await execute(
                """
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max)
                SELECT (SELECT min(id) FROM employers), 'Vị trí đông ' || g, (SELECT occupation_code FROM worker_occupations
                        GROUP BY occupation_code ORDER BY count(*) DESC, occupation_code LIMIT 1),
                       (SELECT ward_code FROM vacancies ORDER BY id LIMIT 1), 1, CURRENT_DATE + 30, 5000000, 9000000
                FROM generate_series(1, 40) g;
                """,
                url: url
            )
            // Every eligible pair with its points, by the SQL ranking, before the batch proposes anyone.
            let eligible = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.withConnection { connection in
                    var pairs: [Int64: [Int64: Int]] = [:]
                    for vacancy in try await connection.query("SELECT id FROM vacancies ORDER BY id", logger: TestCluster.logger).decode(Int64.self)
                        .collect()
                    {
                        pairs[vacancy] = Dictionary(
                            uniqueKeysWithValues: try await SQLRanking.candidates(vacancyID: vacancy, limit: 100_000, on: connection)
                                .map { ($0.id, $0.points) }
                        )
                    }
                    return pairs
                }
            }
            let summary = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await BatchMatcher(client: client, logger: TestCluster.logger).run(actor: nil)
            }
            #expect(summary.certificate.optimal && summary.certificate.violations == 0 && summary.certificate.pairsChecked > 0)
            #expect(summary.proposals == summary.mostFillable)
            #expect(summary.openSlots > 60)
            #expect(summary.proposals == summary.openSlots, "this population has eligible workers for every slot")
            #expect(summary.certificate.listExtensions > 0, "lists were read past their first 20")
            #expect(Set(summary.items.map(\.workerId)).count == summary.items.count)
            for item in summary.items {
                #expect(eligible[item.vacancyId]?[item.workerId] == item.score, "vacancy \(item.vacancyId), worker \(item.workerId)")
            }
        }
    }
}
