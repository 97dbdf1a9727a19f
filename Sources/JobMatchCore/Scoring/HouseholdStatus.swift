/// A household's recognised poverty status (Decree 07/2021, Decree 30/2025, Decree 351/2025).
public enum HouseholdStatus: String, Sendable, Codable, CaseIterable {
    case poor
    case nearPoor = "near_poor"
    case recentlyEscapedPoverty = "recently_escaped_poverty"
    case recentlyEscapedNearPoverty = "recently_escaped_near_poverty"
    case lowIncome = "low_income"
    case none

    /// The Vietnamese name used on forms and reports.
    public var vietnamese: String {
        switch self {
        case .poor: "Hộ nghèo"
        case .nearPoor: "Hộ cận nghèo"
        case .recentlyEscapedPoverty: "Hộ mới thoát nghèo"
        case .recentlyEscapedNearPoverty: "Hộ mới thoát cận nghèo"
        case .lowIncome: "Hộ có thu nhập thấp"
        case .none: "Không thuộc diện"
        }
    }
}
