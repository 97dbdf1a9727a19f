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
    /// As registered (e.g. "Kinh", "Khmer"), when known; setting it sets `isEthnicMinority`.
    public var ethnicity: String? {
        didSet { self.isEthnicMinority = MatchingRules.isEthnicMinority(self.ethnicity) }
    }
    /// An ethnicity other than Kinh was recorded (`MatchingRules.isEthnicMinority`).
    public var isEthnicMinority: Bool
    public var hasDisability: Bool

    public enum Sex: String, Sendable, CaseIterable { case male, female }

    /// `ethnicity` as registered (e.g. "Kinh", "Khmer"), nil when not given.
    public init(
        householdStatus: HouseholdStatus,
        workerOccupations: [String],
        vacancyOccupation: String,
        completedTrainingOccupations: [String] = [],
        distanceKm: Double? = nil,
        maxCommuteKm: Int? = nil,
        registeredOn: LocalDate,
        today: LocalDate,
        sex: Sex = .male,
        ethnicity: String? = nil,
        hasDisability: Bool = false
    ) {
        self.init(
            householdStatus: householdStatus,
            workerOccupations: workerOccupations,
            vacancyOccupation: vacancyOccupation,
            completedTrainingOccupations: completedTrainingOccupations,
            distanceKm: distanceKm,
            maxCommuteKm: maxCommuteKm,
            registeredOn: registeredOn,
            today: today,
            sex: sex,
            ethnicMinority: MatchingRules.isEthnicMinority(ethnicity),
            hasDisability: hasDisability
        )
        self.ethnicity = ethnicity
    }

    public init(
        householdStatus: HouseholdStatus,
        workerOccupations: [String],
        vacancyOccupation: String,
        completedTrainingOccupations: [String],
        distanceKm: Double?,
        maxCommuteKm: Int?,
        registeredOn: LocalDate,
        today: LocalDate,
        sex: Sex,
        ethnicMinority: Bool,
        hasDisability: Bool
    ) {
        self.householdStatus = householdStatus
        self.workerOccupations = workerOccupations
        self.vacancyOccupation = vacancyOccupation
        self.completedTrainingOccupations = completedTrainingOccupations
        self.distanceKm = distanceKm
        self.maxCommuteKm = maxCommuteKm
        self.registeredOn = registeredOn
        self.today = today
        self.sex = sex
        self.ethnicity = nil
        self.isEthnicMinority = ethnicMinority
        self.hasDisability = hasDisability
    }
}

/// The matching score explained: every part adds points (never subtracts), from weights an admin
/// sets, each computed by `MatchingRules` (the one home of the rules).
public enum CandidateScorer {
    public static func score(_ facts: CandidateFacts, weights: MatchWeights = .defaults) -> CandidateScore {
        typealias R = MatchingRules
        var parts: [ScorePart] = []
        let status = facts.householdStatus
        parts.append(
            ScorePart(
                key: "priority_group",
                points: R.priorityPoints(status, weights),
                reason: "Hoàn cảnh hộ gia đình (theo chuẩn nghèo hiện hành): \(status.vietnamese)"
            )
        )

        let occupationDepth = facts.workerOccupations.map { R.sharedLevels($0, facts.vacancyOccupation) }.max() ?? 0
        parts.append(
            ScorePart(
                key: "occupation_match",
                points: R.occupationPoints(depth: occupationDepth, weights),
                reason: occupationReason(occupationDepth)
            )
        )

        let trained = facts.completedTrainingOccupations.contains { R.trainingCounts(depth: R.sharedLevels($0, facts.vacancyOccupation)) }
        parts.append(
            ScorePart(
                key: "training",
                points: R.trainingPoints(trained: trained, weights),
                reason: trained ? "Đã hoàn thành khóa đào tạo phù hợp với nghề" : "Chưa có khóa đào tạo phù hợp với nghề"
            )
        )

        let radius = R.radiusKm(maxCommuteKm: facts.maxCommuteKm)
        parts.append(
            ScorePart(
                key: "distance",
                points: R.distancePoints(facts.distanceKm, radiusKm: radius, weight: weights["distance_max"]),
                reason: Self.distanceReason(facts.distanceKm)
            )
        )

        let months = R.monthsBetween(facts.registeredOn, facts.today)
        parts.append(
            ScorePart(
                key: "waiting_time",
                points: R.waitingPoints(months: months, weights),
                reason: months == 0 ? "Mới đăng ký trong tháng" : "Đã chờ việc \(months) tháng kể từ khi đăng ký"
            )
        )

        let female = facts.sex == .female
        parts.append(
            ScorePart(
                key: "woman",
                points: R.planPriorityPoints(female: female, disabled: false, minority: false, weights),
                reason: female ? "Ưu tiên lao động nữ" : "Không thuộc diện ưu tiên lao động nữ"
            )
        )
        parts.append(
            ScorePart(
                key: "disability",
                points: R.planPriorityPoints(female: false, disabled: facts.hasDisability, minority: false, weights),
                reason: facts.hasDisability ? "Ưu tiên người khuyết tật" : "Không thuộc diện ưu tiên người khuyết tật"
            )
        )
        parts.append(
            ScorePart(
                key: "ethnic_minority",
                points: R.planPriorityPoints(female: false, disabled: false, minority: facts.isEthnicMinority, weights),
                reason: facts.isEthnicMinority ? "Ưu tiên người dân tộc thiểu số" : "Không thuộc diện ưu tiên dân tộc thiểu số"
            )
        )
        return CandidateScore(parts: parts)
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
