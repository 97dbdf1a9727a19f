import Foundation
import JobMatchCore

/// The Vietnamese words for households, duplicate records and staff accounts.
extension WebLabels {
    /// The roles of a staff account, most powerful first.
    static let staffRole = StaffRole.allCases.map { ($0.rawValue, $0.vietnamese) }

    /// A household status code in Vietnamese (the code itself when unknown).
    static func householdStatusWord(_ code: String) -> String {
        HouseholdStatus(rawValue: code)?.vietnamese ?? code
    }
}
