import JobMatchCore
import PostgresNIO
import PropertyBased
import Testing

@testable import JobMatch

@Suite("The score in SQL (for ranking) is the score in Swift (for explaining)")
struct ScoreInSQLTests {
    @Test("property: candidate_points (with the occupation depth and training as the candidate query works them out) equals CandidateScorer's total")
    func sameRule() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.withConnection { connection in
                await propertyCheck(count: 300, input: ScoringGen.facts, ScoringGen.protected, ScoringGen.weights) { baseline, protected, weights in
                    var f = baseline
                    (f.sex, f.hasDisability) = (protected.0, protected.2)
                    f.ethnicity = ScoringGen.ethnicities[protected.1]
                    let rows = try await connection.query(
                        """
                        SELECT candidate_points(\(f.householdStatus.rawValue),
                                                COALESCE((SELECT max(isco_shared_levels(o, \(f.vacancyOccupation))) FROM unnest(\(f.workerOccupations)::text[]) o), 0),
                                                EXISTS (SELECT 1 FROM unnest(\(f.completedTrainingOccupations)::text[]) t
                                                        WHERE isco_shared_levels(t, \(f.vacancyOccupation)) >= 3),
                                                \(f.distanceKm)::float8, \(f.maxCommuteKm)::int,
                                                \(f.registeredOn.description)::date, \(f.today.description)::date, \(f.sex.rawValue),
                                                \(f.ethnicity)::text, \(f.hasDisability), \(weights.ordered)::int[])
                        """,
                        logger: TestCluster.logger
                    )
                    let inSQL = try await rows.first(Int.self)
                    #expect(inSQL == CandidateScorer.score(f, weights: weights).total, "\(f)")
                }
            }
        }
    }

    @Test("the weights table starts with exactly the defaults of MatchWeights, in the order candidate_points reads them")
    func defaultsAgree() async throws {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let rows = try await client.query("SELECT key, points FROM match_weights ORDER BY position", logger: TestCluster.logger)
            var stored: [String] = []
            for try await (key, points) in rows.decode((String, Int).self) { stored.append("\(key)=\(points)") }
            #expect(stored == MatchWeights.catalogue.map { "\($0.key)=\($0.points)" })
        }
    }
}
