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

/// What the first scoring rule needs to know about a worker and a vacancy.
public struct CandidateFacts: Sendable {
    public var householdStatus: HouseholdStatus
    public var workerOccupations: [String]
    public var vacancyOccupation: String
    public var completedTrainingOccupations: [String]

    public init(householdStatus: HouseholdStatus, workerOccupations: [String], vacancyOccupation: String,
                completedTrainingOccupations: [String]) {
        self.householdStatus = householdStatus
        self.workerOccupations = workerOccupations
        self.vacancyOccupation = vacancyOccupation
        self.completedTrainingOccupations = completedTrainingOccupations
    }
}

/// The first, simple scoring rule: priority group, occupation match by the ISCO hierarchy,
/// and completed training in a related occupation. Every part only adds points.
public enum CandidateScorer {
    /// Points for sharing 4, 3, 2 or 1 leading digits of the ISCO code.
    static let occupationPoints = [4: 30, 3: 20, 2: 10, 1: 5]

    public static func score(_ facts: CandidateFacts) -> CandidateScore {
        var parts: [ScorePart] = []
        let status = facts.householdStatus
        parts.append(ScorePart(key: "priority_group", points: status.priorityPoints,
                               reason: "Hoàn cảnh hộ gia đình: \(status.vietnamese)"))
        let occupationDepth = facts.workerOccupations.map { sharedLevels($0, facts.vacancyOccupation) }.max() ?? 0
        parts.append(ScorePart(key: "occupation_match", points: occupationPoints[occupationDepth] ?? 0,
                               reason: occupationReason(occupationDepth)))
        let trainingDepth = facts.completedTrainingOccupations.map { sharedLevels($0, facts.vacancyOccupation) }.max() ?? 0
        parts.append(ScorePart(key: "training", points: trainingDepth >= 2 ? 10 : 0,
                               reason: trainingDepth >= 2 ? "Đã hoàn thành khóa đào tạo phù hợp với nghề" : "Chưa có khóa đào tạo phù hợp"))
        return CandidateScore(parts: parts)
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
        case 4: "Đúng nghề (cùng nhóm nghề cấp 4)"
        case 3: "Nghề gần (cùng nhóm cấp 3)"
        case 2: "Nghề liên quan (cùng nhóm cấp 2)"
        case 1: "Cùng nhóm nghề lớn"
        default: "Nghề khác"
        }
    }
}
