import Foundation

/// Every matching rule, stated once: the hard filters that depend on the vacancy and the points of
/// each part of the score. `CandidateScorer` explains a score with them, `CandidateBuckets` ranks the
/// in-memory copy with them, and the SQL function `candidate_points` (migration 0013) only checks
/// them in tests. The filters that do not depend on the vacancy (seeking work, consent, placed, abroad)
/// live once in SQL, in the query that reads workers (`MatchingFactsReader`).
public enum MatchingRules {
    // MARK: Hard filters

    /// Born on or before `youngestBirth` and after `oldestBirth`: within the vacancy's age range today.
    public struct AgeRange: Sendable, Equatable {
        public let youngestBirth: LocalDate?
        public let oldestBirth: LocalDate?

        /// A vacancy's age range (whole years, both ends included) as birth dates on `today`.
        public init(minAge: Int?, maxAge: Int?, today: LocalDate) {
            self.youngestBirth = minAge.map { today.subtracting(years: $0) }
            self.oldestBirth = maxAge.map { today.subtracting(years: $0 + 1) }
        }

        public func allows(birthDate: LocalDate) -> Bool {
            if let youngest = self.youngestBirth, !(birthDate <= youngest) { return false }
            if let oldest = self.oldestBirth, !(oldest < birthDate) { return false }
            return true
        }
    }

    /// A worker with a maximum commute is not proposed beyond it (an unknown distance never excludes).
    public static func commuteAllows(distanceKm: Double?, maxCommuteKm: Int?) -> Bool {
        guard let distanceKm, let maxCommuteKm else { return true }
        return distanceKm <= Double(maxCommuteKm)
    }

    /// A worker about to leave under an overseas contract is proposed only to vacancies open to them.
    public static func abroadBoundAllows(leaving: Bool, vacancyOpenToAbroadBound: Bool) -> Bool {
        !leaving || vacancyOpenToAbroadBound
    }

    // MARK: Facts derived once

    /// An ethnic minority: one of the 53 groups other than Kinh (`EthnicGroup`), however it is typed.
    /// Stored values are always official names; text naming no group counts as recorded and not Kinh.
    public static func isEthnicMinority(_ ethnicity: String?) -> Bool {
        guard let ethnicity, !ethnicity.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        return EthnicGroup.resolve(ethnicity)?.isMinority ?? true
    }

    /// Poor and near-poor households: the batch serves them before anyone else.
    public static func isPriorityGroup(_ status: HouseholdStatus) -> Bool {
        status == .poor || status == .nearPoor
    }

    /// Great-circle distance between two wards' coordinates in km, as the SQL ranking computes it;
    /// nil when either has no coordinates.
    public static func distanceKm(_ lat1: Double?, _ lon1: Double?, _ lat2: Double?, _ lon2: Double?) -> Double? {
        guard let lat1, let lon1, let lat2, let lon2 else { return nil }
        let perDegree = 0.0174532925199432957692
        let a =
            pow(sin((lat1 - lat2) * perDegree / 2), 2)
            + cos(lat2 * perDegree) * cos(lat1 * perDegree) * pow(sin((lon1 - lon2) * perDegree / 2), 2)
        return 6371 * 2 * asin(sqrt(a))
    }

    // MARK: Points

    public static func priorityKey(_ status: HouseholdStatus) -> String? {
        switch status {
        case .poor: "priority_poor"
        case .nearPoor: "priority_near_poor"
        case .recentlyEscapedPoverty, .recentlyEscapedNearPoverty: "priority_recently_escaped"
        case .lowIncome: "priority_low_income"
        case .none: nil
        }
    }

    public static func priorityPoints(_ status: HouseholdStatus, _ weights: MatchWeights) -> Int {
        priorityKey(status).map { weights[$0] } ?? 0
    }

    public static func occupationKey(_ depth: Int) -> String? {
        switch depth {
        case 4...: "occupation_unit_group"
        case 3: "occupation_minor_group"
        case 2: "occupation_sub_major_group"
        default: nil
        }
    }

    /// Points for sharing `depth` leading ISCO levels with the vacancy's occupation.
    public static func occupationPoints(depth: Int, _ weights: MatchWeights) -> Int {
        occupationKey(depth).map { weights[$0] } ?? 0
    }

    /// A completed course counts when its occupation shares at least the minor group (3 levels).
    public static func trainingCounts(depth: Int) -> Bool { depth >= 3 }

    public static func trainingPoints(trained: Bool, _ weights: MatchWeights) -> Int {
        trained ? weights["training_relevant"] : 0
    }

    /// The radius over which distance points fall to zero: the worker's maximum commute, or the default.
    public static func radiusKm(maxCommuteKm: Int?) -> Double {
        maxCommuteKm.map(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? MatchWeights.defaultRadiusKm
    }

    /// Full points at the vacancy's ward, falling linearly to none at the radius; rounded down.
    /// No points when the distance is unknown.
    public static func distancePoints(_ distance: Double?, radiusKm: Double, weight: Int) -> Int {
        guard let distance else { return 0 }
        let share = max(0, radiusKm - distance) / radiusKm
        return Int((Double(weight) * share).rounded(.down))
    }

    /// Whole months from `start` to `end` (a month is complete on the same day of the month).
    public static func monthsBetween(_ start: LocalDate, _ end: LocalDate) -> Int {
        guard end > start else { return 0 }
        return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day ? 1 : 0)
    }

    public static func waitingPoints(months: Int, _ weights: MatchWeights) -> Int {
        min(months * weights["waiting_per_month"], weights["waiting_max"])
    }

    /// The plan's priorities: women, people with disabilities, ethnic minorities.
    public static func planPriorityPoints(female: Bool, disabled: Bool, minority: Bool, _ weights: MatchWeights) -> Int {
        (female ? weights["priority_woman"] : 0) + (disabled ? weights["priority_disability"] : 0)
            + (minority ? weights["priority_ethnic_minority"] : 0)
    }

    /// The points that do not depend on the vacancy: priority group, waiting time, the plan's priorities.
    public static func fixedPoints(
        status: HouseholdStatus,
        registeredOn: LocalDate,
        today: LocalDate,
        female: Bool,
        disabled: Bool,
        minority: Bool,
        _ weights: MatchWeights
    ) -> Int {
        priorityPoints(status, weights) + waitingPoints(months: monthsBetween(registeredOn, today), weights)
            + planPriorityPoints(female: female, disabled: disabled, minority: minority, weights)
    }

    /// How many leading ISCO levels two codes share (0 to 4).
    public static func sharedLevels(_ a: String, _ b: String) -> Int {
        var count = 0
        var (x, y) = (a.utf8.makeIterator(), b.utf8.makeIterator())
        while count < 4, let p = x.next(), let q = y.next(), p == q { count += 1 }
        return count
    }
}
