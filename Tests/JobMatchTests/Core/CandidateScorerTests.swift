import JobMatchCore
import Testing

@Suite("Candidate scoring")
struct CandidateScorerTests {
    func score(_ status: HouseholdStatus, _ occupations: [String], trained: [String] = []) -> CandidateScore {
        CandidateScorer.score(CandidateFacts(householdStatus: status, workerOccupations: occupations, vacancyOccupation: "7212",
                                             completedTrainingOccupations: trained))
    }

    @Test("poor before near-poor before others, for the same occupation")
    func priorityOrder() {
        let totals = [HouseholdStatus.poor, .nearPoor, .recentlyEscapedPoverty, .lowIncome, .none].map { score($0, ["7212"]).total }
        #expect(totals == totals.sorted(by: >))
        #expect(Set(totals).count == 5)
    }

    @Test("a closer occupation in the ISCO hierarchy scores higher")
    func occupationHierarchy() {
        let totals = ["7212", "7213", "7221", "7411", "9111"].map { score(.none, [$0]).total }
        #expect(totals == [30, 20, 10, 5, 0])
    }

    @Test("the total is always the sum of the explained parts")
    func partsAddUp() {
        let s = score(.poor, ["7212"], trained: ["7212"])
        #expect(s.total == s.parts.map(\.points).reduce(0, +))
        #expect(s.total == 80)
        #expect(s.parts.allSatisfy { !$0.reason.isEmpty })
    }
}
