/// The general schooling a worker completed.
enum EducationLevel: String, CaseIterable, Sendable {
    case none, primary
    case lowerSecondary = "lower_secondary"
    case upperSecondary = "upper_secondary"
}
