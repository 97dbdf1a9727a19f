import Foundation

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
