import JobMatchCore

/// The standards a household status can be recognised under.
enum HouseholdStandard: String, CaseIterable, Sendable {
    case decree07 = "decree_07_2021"
    case decree30 = "decree_30_2025"
    case decree351 = "decree_351_2025"

    /// Low-income under Decree 30/2025; otherwise Decree 07/2021 until the end of 2026, Decree 351/2025 from 2027.
    static func `default`(for status: HouseholdStatus, from date: LocalDate) -> HouseholdStandard {
        if status == .lowIncome { return .decree30 }
        return date.year >= 2027 ? .decree351 : .decree07
    }
}
