import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The batch ranks candidates in memory (`MatchingSnapshot`); one vacancy's list comes from SQL
/// (`CandidateFinder`). On a varied synthetic population they must give the same lists.
@Suite("Batch ranking in memory equals the SQL ranking")
struct MatchingSnapshotTests {
    @Test("for every vacancy and several list lengths, the same workers in the same order with the same points")
    func sameAsSQL() async throws {
        try await withTestApp { _, _, url in
            try await MatchingVariety.seed(url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.withConnection { connection in
                    let today = LocalDate.today()
                    let weights = try await MatchWeightsRoutes.load(on: connection, logger: TestCluster.logger)
                    let vacancies = try await BatchMatcher.openVacancies(today: today, on: connection, logger: TestCluster.logger)
                    #expect(vacancies.count == 12)
                    let snapshot = try await MatchingSnapshot.load(today: today, weights: weights, vacancies: vacancies.map(\.facts.id),
                                                                  on: connection, logger: TestCluster.logger)
                    let finder = CandidateFinder(connection: connection, logger: TestCluster.logger)
                    var compared = 0
                    for vacancy in vacancies {
                        for limit in [1, 5, 20, 200] {
                            let sql = try await finder.candidates(vacancyID: vacancy.facts.id, limit: limit, today: today, weights: weights)
                            let memory = snapshot.candidates(for: vacancy.facts, limit: limit)
                            #expect(memory.map { snapshot.workers[$0.worker].id } == sql.map(\.workerID), "vacancy \(vacancy.facts.id), limit \(limit)")
                            #expect(memory.map(\.points) == sql.map(\.score.total), "vacancy \(vacancy.facts.id), limit \(limit)")
                            compared += sql.count
                        }
                    }
                    #expect(compared > 1000)
                }
            }
        }
    }
}
