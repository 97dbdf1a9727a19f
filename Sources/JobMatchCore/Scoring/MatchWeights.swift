/// The points each part of a candidate's score can give. Admins change them (stored in the
/// `match_weights` table, every change audited); no weight is negative, so no part can lower a
/// score, and the plan's priority groups (poor and near-poor households, women, people with
/// disabilities, ethnic minorities) can only raise it.
public struct MatchWeights: Sendable, Equatable {
    /// Every weight: its key, its default and what it means in Vietnamese.
    public static let catalogue: [(key: String, points: Int, label: String)] = [
        ("priority_poor", 40, "Hộ nghèo"),
        ("priority_near_poor", 30, "Hộ cận nghèo"),
        ("priority_recently_escaped", 20, "Hộ mới thoát nghèo hoặc mới thoát cận nghèo"),
        ("priority_low_income", 10, "Hộ có thu nhập thấp"),
        ("occupation_unit_group", 30, "Đúng nghề (cùng nhóm nghề cấp 4)"),
        ("occupation_minor_group", 20, "Nghề gần (cùng nhóm nghề cấp 3)"),
        ("occupation_sub_major_group", 10, "Nghề liên quan (cùng nhóm nghề cấp 2)"),
        ("training_relevant", 15, "Đã hoàn thành khóa đào tạo phù hợp với nghề"),
        ("distance_max", 15, "Gần nơi làm việc (tối đa, giảm dần đến hết phạm vi đi lại)"),
        ("waiting_per_month", 1, "Mỗi tháng chờ việc kể từ khi đăng ký"),
        ("waiting_max", 12, "Tối đa cho thời gian chờ việc"),
        ("priority_woman", 5, "Ưu tiên lao động nữ"),
        ("priority_disability", 5, "Ưu tiên người khuyết tật"),
        ("priority_ethnic_minority", 5, "Ưu tiên người dân tộc thiểu số"),
    ]
    public static let maximumPoints = 1000
    /// The radius over which the distance points fall to zero when the worker gave no maximum commute.
    public static let defaultRadiusKm = 50.0

    public private(set) var points: [String: Int]

    public static let defaults = MatchWeights(points: Dictionary(uniqueKeysWithValues: catalogue.map { ($0.key, $0.points) }))!

    /// Weights for every key of the catalogue, each between 0 and `maximumPoints`; nil otherwise.
    public init?(points: [String: Int]) {
        let keys = Set(Self.catalogue.map(\.key))
        guard Set(points.keys) == keys, points.values.allSatisfy({ (0...Self.maximumPoints).contains($0) }) else { return nil }
        self.points = points
    }

    public subscript(key: String) -> Int { self.points[key] ?? 0 }
}
