/// A course's training level (Law 74/2014 on vocational education).
enum CourseLevel: String, CaseIterable, Sendable {
    case under3Months = "under_3_months"
    case soCap = "so_cap"
    case trungCap = "trung_cap"
    case caoDang = "cao_dang"

    /// The levels whose short courses the State supports (Decision 46/2015).
    var isSupportable: Bool { self == .under3Months || self == .soCap }
}
