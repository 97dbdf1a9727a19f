import Foundation

/// One additive part of a candidate's score, with the reason in Vietnamese.
public struct ScorePart: Codable, Equatable, Sendable {
    public let key: String
    public let points: Int
    public let reason: String

    public init(key: String, points: Int, reason: String) {
        self.key = key
        self.points = points
        self.reason = reason
    }
}

/// A candidate's score and the parts it is made of; the total is always the sum of the parts.
public struct CandidateScore: Codable, Equatable, Sendable {
    public let parts: [ScorePart]
    public var total: Int { self.parts.reduce(0) { $0 + $1.points } }

    public init(parts: [ScorePart]) {
        self.parts = parts
    }
}

/// What scoring needs to know about a worker and a vacancy, as of `today`.
public struct CandidateFacts: Sendable, Equatable {
    public var householdStatus: HouseholdStatus
    public var workerOccupations: [String]
    public var vacancyOccupation: String
    public var completedTrainingOccupations: [String]
    /// Between the worker's ward and the vacancy's ward; nil when a ward has no coordinates.
    public var distanceKm: Double?
    public var maxCommuteKm: Int?
    public var registeredOn: LocalDate
    public var today: LocalDate
    public var sex: Sex
    /// As registered (e.g. "Kinh", "Khmer"); nil when not given.
    public var ethnicity: String?
    public var hasDisability: Bool

    public enum Sex: String, Sendable, CaseIterable { case male, female }

    public init(householdStatus: HouseholdStatus, workerOccupations: [String], vacancyOccupation: String,
                completedTrainingOccupations: [String] = [], distanceKm: Double? = nil, maxCommuteKm: Int? = nil,
                registeredOn: LocalDate, today: LocalDate, sex: Sex = .male, ethnicity: String? = nil, hasDisability: Bool = false) {
        self.householdStatus = householdStatus
        self.workerOccupations = workerOccupations
        self.vacancyOccupation = vacancyOccupation
        self.completedTrainingOccupations = completedTrainingOccupations
        self.distanceKm = distanceKm
        self.maxCommuteKm = maxCommuteKm
        self.registeredOn = registeredOn
        self.today = today
        self.sex = sex
        self.ethnicity = ethnicity
        self.hasDisability = hasDisability
    }

    /// An ethnic minority: an ethnicity other than Kinh (the majority) was recorded.
    public var isEthnicMinority: Bool {
        guard let ethnicity = self.ethnicity?.trimmingCharacters(in: .whitespaces), !ethnicity.isEmpty else { return false }
        return ethnicity.lowercased() != "kinh"
    }
}

/// The matching score: every part adds points (never subtracts), from weights an admin sets.
/// The SQL function `candidate_points` ranks with the very same rule (a test compares them).
public enum CandidateScorer {
    public static func score(_ facts: CandidateFacts, weights: MatchWeights = .defaults) -> CandidateScore {
        var parts: [ScorePart] = []
        let status = facts.householdStatus
        let priorityKey = Self.priorityKey(status)
        parts.append(ScorePart(key: "priority_group", points: priorityKey.map { weights[$0] } ?? 0,
                               reason: "Hoàn cảnh hộ gia đình (theo chuẩn nghèo hiện hành): \(status.vietnamese)"))

        let occupationDepth = facts.workerOccupations.map { sharedLevels($0, facts.vacancyOccupation) }.max() ?? 0
        parts.append(ScorePart(key: "occupation_match", points: Self.occupationKey(occupationDepth).map { weights[$0] } ?? 0,
                               reason: occupationReason(occupationDepth)))

        let trained = facts.completedTrainingOccupations.contains { sharedLevels($0, facts.vacancyOccupation) >= 3 }
        parts.append(ScorePart(key: "training", points: trained ? weights["training_relevant"] : 0,
                               reason: trained ? "Đã hoàn thành khóa đào tạo phù hợp với nghề" : "Chưa có khóa đào tạo phù hợp với nghề"))

        let distancePoints = Self.distancePoints(facts.distanceKm, maxCommuteKm: facts.maxCommuteKm, weight: weights["distance_max"])
        parts.append(ScorePart(key: "distance", points: distancePoints, reason: Self.distanceReason(facts.distanceKm)))

        let months = Self.monthsBetween(facts.registeredOn, facts.today)
        parts.append(ScorePart(key: "waiting_time", points: min(months * weights["waiting_per_month"], weights["waiting_max"]),
                               reason: months == 0 ? "Mới đăng ký trong tháng" : "Đã chờ việc \(months) tháng kể từ khi đăng ký"))

        parts.append(ScorePart(key: "woman", points: facts.sex == .female ? weights["priority_woman"] : 0,
                               reason: facts.sex == .female ? "Ưu tiên lao động nữ" : "Không thuộc diện ưu tiên lao động nữ"))
        parts.append(ScorePart(key: "disability", points: facts.hasDisability ? weights["priority_disability"] : 0,
                               reason: facts.hasDisability ? "Ưu tiên người khuyết tật" : "Không thuộc diện ưu tiên người khuyết tật"))
        parts.append(ScorePart(key: "ethnic_minority", points: facts.isEthnicMinority ? weights["priority_ethnic_minority"] : 0,
                               reason: facts.isEthnicMinority ? "Ưu tiên người dân tộc thiểu số" : "Không thuộc diện ưu tiên dân tộc thiểu số"))
        return CandidateScore(parts: parts)
    }

    static func priorityKey(_ status: HouseholdStatus) -> String? {
        switch status {
        case .poor: "priority_poor"
        case .nearPoor: "priority_near_poor"
        case .recentlyEscapedPoverty, .recentlyEscapedNearPoverty: "priority_recently_escaped"
        case .lowIncome: "priority_low_income"
        case .none: nil
        }
    }

    static func occupationKey(_ depth: Int) -> String? {
        switch depth {
        case 4...: "occupation_unit_group"
        case 3: "occupation_minor_group"
        case 2: "occupation_sub_major_group"
        default: nil
        }
    }

    /// Full points at the vacancy's ward, falling linearly to none at the worker's maximum commute
    /// (or `MatchWeights.defaultRadiusKm`); rounded down. No points when the distance is unknown.
    public static func distancePoints(_ distance: Double?, maxCommuteKm: Int?, weight: Int) -> Int {
        guard let distance else { return 0 }
        let radius = maxCommuteKm.map(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? MatchWeights.defaultRadiusKm
        let share = max(0, radius - distance) / radius
        return Int((Double(weight) * share).rounded(.down))
    }

    /// Whole months from `start` to `end` (a month is complete on the same day of the month).
    public static func monthsBetween(_ start: LocalDate, _ end: LocalDate) -> Int {
        guard end > start else { return 0 }
        return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day ? 1 : 0)
    }

    /// How many leading ISCO levels two codes share (0 to 4).
    public static func sharedLevels(_ a: String, _ b: String) -> Int {
        var count = 0
        for (x, y) in zip(a, b) {
            guard x == y else { break }
            count += 1
        }
        return min(count, min(a.count, b.count))
    }

    static func occupationReason(_ depth: Int) -> String {
        switch depth {
        case 4...: "Đúng nghề (cùng nhóm nghề cấp 4)"
        case 3: "Nghề gần (cùng nhóm nghề cấp 3)"
        case 2: "Nghề liên quan (cùng nhóm nghề cấp 2)"
        case 1: "Chỉ cùng nhóm nghề lớn (cấp 1)"
        default: "Nghề khác"
        }
    }

    static func distanceReason(_ distance: Double?) -> String {
        guard let distance else { return "Chưa xác định được khoảng cách" }
        let km = (distance * 10).rounded() / 10
        return "Cách nơi làm việc khoảng \(km.formatted1) km"
    }
}

extension Double {
    /// One decimal with a Vietnamese decimal comma ("3,5").
    var formatted1: String {
        let tenths = Int((self * 10).rounded())
        return "\(tenths / 10),\(abs(tenths % 10))"
    }
}
