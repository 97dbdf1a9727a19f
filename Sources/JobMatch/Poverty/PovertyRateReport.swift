import Foundation
import Hummingbird

/// The poor and near-poor shares of the registered households at the end of each year, and each
/// year's change in percentage points against the plan's "giảm khoảng 1%/năm"
/// (`GET /reports/poverty-rate`; rules in docs/counting.md).
struct PovertyRateReport: ResponseCodable, Sendable {
    /// One year: statuses on 31 December (on `as_of` for the year of `as_of`).
    struct Year: Codable, Sendable {
        let year: Int
        let referenceDay: String
        let households: Int64
        let poor: Int64
        let nearPoor: Int64
        /// Shares of `households`, two decimals; nil when there is no household.
        let poorPercent: Double?
        let nearPoorPercent: Double?
        /// This year's percent minus the year before's (both as shown, two decimals).
        let poorChangePoints: Double?
        let nearPoorChangePoints: Double?
        /// The poor share fell by at least the plan's point a year.
        let meetsTarget: Bool?
    }

    /// What the rate measures: the centre's register, not every household of the province.
    var measures = "registered_households"
    var label = Self.label
    static let label = "Tỷ lệ hộ nghèo, cận nghèo trong số hộ gia đình đăng ký tại Trung tâm (không phải toàn bộ hộ dân của tỉnh)"
    /// The plan's yearly fall of the poor share, in percentage points.
    var targetChangePoints = Self.targetChangePoints
    static let targetChangePoints = -1.0
    let fromYear: Int
    let toYear: Int
    let asOf: String
    let byYear: [Year]

    /// A year's row from its counts and the year before's row (nil for the first year counted).
    static func year(_ year: Int, referenceDay: String, households: Int64, poor: Int64, nearPoor: Int64, before: Year?) -> Year {
        func percent(_ count: Int64) -> Double? { households > 0 ? (Double(count) * 10000 / Double(households)).rounded() / 100 : nil }
        func change(_ now: Double?, _ then: Double?) -> Double? {
            guard let now, let then else { return nil }
            return ((now - then) * 100).rounded() / 100
        }
        let (poorPercent, nearPoorPercent) = (percent(poor), percent(nearPoor))
        let poorChange = change(poorPercent, before?.poorPercent)
        return Year(
            year: year,
            referenceDay: referenceDay,
            households: households,
            poor: poor,
            nearPoor: nearPoor,
            poorPercent: poorPercent,
            nearPoorPercent: nearPoorPercent,
            poorChangePoints: poorChange,
            nearPoorChangePoints: change(nearPoorPercent, before?.nearPoorPercent),
            meetsTarget: poorChange.map { $0 <= Self.targetChangePoints }
        )
    }
}
