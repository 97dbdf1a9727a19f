/// The general schooling a worker completed.
enum EducationLevel: String, CaseIterable, Sendable {
    case none, primary, lowerSecondary = "lower_secondary", upperSecondary = "upper_secondary"
}
