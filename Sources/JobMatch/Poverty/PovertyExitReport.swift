import Foundation
import Hummingbird

/// Poor and near-poor households with a member placed in a period, and which of them later left
/// that status, with the days between (`GET /reports/poverty-exits`; rules in docs/counting.md).
struct PovertyExitReport: ResponseCodable, Sendable {
    /// A household, by its first counted placement in the period while it was poor or near-poor.
    struct Household: Codable, Sendable {
        let householdId: Int64
        let wardCode: String
        let wardName: String
        /// `poor` or `near_poor`, on the day of `first_placement_on`.
        let statusAtPlacement: String
        let firstPlacementOn: String
        let exited: Bool
        /// The first day it no longer had that status (by `as_of`); nil when it has not left it.
        let exitedOn: String?
        /// Its status on `exited_on`.
        let exitedTo: String?
        let daysToExit: Int?
        /// Its status on `as_of`, which may be back where it was.
        let statusOnAsOf: String
    }

    /// The households placed and exited for one status at placement, or `all`.
    struct Total: Codable, Sendable {
        let status: String
        let placed: Int
        let exited: Int
        /// exited / placed, two decimals (0 when none was placed).
        let shareExitedPercent: Double
        /// The median of `days_to_exit` over the households that left (the mean of the middle two
        /// for an even count); nil when none did.
        let medianDaysToExit: Double?
    }

    let from: String
    let to: String
    let asOf: String
    let households: [Household]
    /// `poor`, `near_poor`, then `all`.
    let totals: [Total]

    init(from: String, to: String, asOf: String, households: [Household]) {
        self.from = from
        self.to = to
        self.asOf = asOf
        self.households = households
        self.totals = ["poor", "near_poor", "all"].map { status in
            Self.total(status, of: households.filter { status == "all" || $0.statusAtPlacement == status })
        }
    }

    /// The figures of `total` over `households`.
    static func total(_ status: String, of households: [Household]) -> Total {
        let days = households.compactMap(\.daysToExit).sorted()
        let median: Double? =
            days.isEmpty ? nil : days.count % 2 == 1 ? Double(days[days.count / 2]) : Double(days[days.count / 2 - 1] + days[days.count / 2]) / 2
        let share = households.isEmpty ? 0 : (Double(days.count) * 10000 / Double(households.count)).rounded() / 100
        return Total(status: status, placed: households.count, exited: days.count, shareExitedPercent: share, medianDaysToExit: median)
    }
}
