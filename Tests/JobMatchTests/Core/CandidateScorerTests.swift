import JobMatchCore
import PropertyBased
import Testing

/// Generators of scoring inputs for the property tests.
enum ScoringGen {
    static let codes = ["7212", "7213", "7221", "7411", "9111", "721", "72", "5120", "8160"]
    static let ethnicities: [String?] = [nil, "", "Kinh", " Kinh ", "kinh", "Khmer", "Hoa", "Tày", "Mường"]
    static let today = LocalDate(year: 2026, month: 11, day: 28)!

    /// Facts with every protected attribute at its baseline (male, no ethnicity recorded, no disability).
    static var facts: Generator<CandidateFacts, some Sequence & SendableMetatype> {
        zip(
            Gen.int(in: 0...(HouseholdStatus.allCases.count - 1)),
            Gen.int(in: 0...(codes.count - 1)).array(of: 0...3),
            Gen.int(in: 0...(codes.count - 1)),
            Gen.int(in: 0...(codes.count - 1)).array(of: 0...2),
            Gen.int(in: 0...120_000).optional,
            Gen.int(in: 0...150).optional,
            Gen.int(in: -40...2_500)
        )
        .map { status, occupations, vacancy, trained, metres, commute, daysAgo in
            CandidateFacts(
                householdStatus: HouseholdStatus.allCases[status],
                workerOccupations: occupations.map { codes[$0] },
                vacancyOccupation: codes[vacancy],
                completedTrainingOccupations: trained.map { codes[$0] },
                distanceKm: metres.map { Double($0) / 1000 },
                maxCommuteKm: commute,
                registeredOn: today.adding(days: -daysAgo),
                today: today
            )
        }
    }

    /// Protected attributes: sex, ethnicity (by index into `ethnicities`), disability.
    static var protected: Generator<(CandidateFacts.Sex, Int, Bool), some Sequence & SendableMetatype> {
        zip(Gen.bool, Gen.int(in: 0...(ethnicities.count - 1)), Gen.bool).map { female, ethnicity, disabled in
            (female ? CandidateFacts.Sex.female : .male, ethnicity, disabled)
        }
    }

    static var weights: Generator<MatchWeights, some Sequence & SendableMetatype> {
        Gen.int(in: 0...MatchWeights.maximumPoints).array(of: MatchWeights.catalogue.count).map { values in
            MatchWeights(points: Dictionary(uniqueKeysWithValues: zip(MatchWeights.catalogue.map(\.key), values)))!
        }
    }
}

@Suite("Candidate scoring")
struct CandidateScorerTests {
    static let today = ScoringGen.today

    func facts(_ status: HouseholdStatus = .none, _ occupations: [String] = ["9111"], trained: [String] = []) -> CandidateFacts {
        CandidateFacts(
            householdStatus: status,
            workerOccupations: occupations,
            vacancyOccupation: "7212",
            completedTrainingOccupations: trained,
            registeredOn: Self.today,
            today: Self.today
        )
    }

    @Test("poor before near-poor before recently escaped before low-income before none, all else equal")
    func priorityOrder() {
        let totals = [HouseholdStatus.poor, .nearPoor, .recentlyEscapedPoverty, .lowIncome, .none].map { CandidateScorer.score(facts($0)).total }
        #expect(totals == [40, 30, 20, 10, 0])
    }

    @Test("occupation by the ISCO hierarchy: same unit group > same minor > same sub-major > other")
    func occupationHierarchy() {
        let totals = ["7212", "7213", "7221", "7411", "9111"].map { CandidateScorer.score(facts(.none, [$0])).total }
        #expect(totals == [30, 20, 10, 0, 0])
    }

    @Test("distance: full points at the workplace, none at the worker's maximum commute (or 50 km)")
    func distance() {
        #expect(MatchingRules.distancePoints(0, radiusKm: MatchingRules.radiusKm(maxCommuteKm: nil), weight: 15) == 15)
        #expect(MatchingRules.distancePoints(25, radiusKm: MatchingRules.radiusKm(maxCommuteKm: nil), weight: 15) == 7)
        #expect(MatchingRules.distancePoints(50, radiusKm: MatchingRules.radiusKm(maxCommuteKm: nil), weight: 15) == 0)
        #expect(MatchingRules.distancePoints(5, radiusKm: MatchingRules.radiusKm(maxCommuteKm: 10), weight: 15) == 7)
        #expect(MatchingRules.distancePoints(80, radiusKm: MatchingRules.radiusKm(maxCommuteKm: 10), weight: 15) == 0)
        #expect(MatchingRules.distancePoints(nil, radiusKm: MatchingRules.radiusKm(maxCommuteKm: 10), weight: 15) == 0)
    }

    @Test("waiting time counts whole months since registration, up to its maximum")
    func waiting() {
        let d = { LocalDate($0)! }
        #expect(MatchingRules.monthsBetween(d("2026-01-31"), d("2026-02-28")) == 0)
        #expect(MatchingRules.monthsBetween(d("2026-01-15"), d("2026-02-15")) == 1)
        #expect(MatchingRules.monthsBetween(d("2024-11-28"), d("2026-11-27")) == 23)
        #expect(MatchingRules.monthsBetween(d("2026-12-01"), d("2026-11-28")) == 0)
        var f = facts()
        f.registeredOn = d("2020-01-01")
        #expect(CandidateScorer.score(f).parts.first { $0.key == "waiting_time" }?.points == 12)
    }

    @Test("every part has a Vietnamese reason and the total is their sum")
    func partsAddUp() {
        var f = facts(.poor, ["7212"], trained: ["7212"])
        f.sex = .female
        f.hasDisability = true
        f.ethnicity = "Khmer"
        f.distanceKm = 0
        let s = CandidateScorer.score(f)
        #expect(s.total == s.parts.map(\.points).reduce(0, +))
        #expect(s.total == 40 + 30 + 15 + 15 + 5 + 5 + 5)
        #expect(s.parts.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("property: a protected attribute (sex, ethnicity, disability) only ever raises a score, and changes nothing else")
    func protectedOnlyRaises() async {
        await propertyCheck(count: 500, input: ScoringGen.facts, ScoringGen.protected, ScoringGen.weights) { baseline, protected, weights in
            var f = baseline
            (f.sex, f.hasDisability) = (protected.0, protected.2)
            f.ethnicity = ScoringGen.ethnicities[protected.1]
            let with = CandidateScorer.score(f, weights: weights)
            let without = CandidateScorer.score(baseline, weights: weights)
            #expect(with.total >= without.total)
            let protectedKeys: Set = ["woman", "disability", "ethnic_minority"]
            #expect(with.parts.filter { !protectedKeys.contains($0.key) } == without.parts.filter { !protectedKeys.contains($0.key) })
        }
    }

    @Test("property: no part is ever negative, whatever the facts and the weights")
    func partsNeverNegative() async {
        await propertyCheck(count: 300, input: ScoringGen.facts, ScoringGen.weights) { facts, weights in
            let score = CandidateScorer.score(facts, weights: weights)
            #expect(score.parts.allSatisfy { $0.points >= 0 })
            #expect(score.total == score.parts.map(\.points).reduce(0, +))
        }
    }

    @Test("weights outside 0...1000 or with a key missing are refused")
    func weightsValidated() {
        var points = MatchWeights.defaults.points
        points["priority_woman"] = -1
        #expect(MatchWeights(points: points) == nil)
        points.removeValue(forKey: "priority_woman")
        #expect(MatchWeights(points: points) == nil)
    }
}
