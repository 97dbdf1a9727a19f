import Hummingbird

/// A target of the plan as listed (`GET /targets`) and as answered when added or changed.
struct PlanTarget: ResponseCodable, Sendable {
    let key: String
    let indicator: String
    let title: String
    let periodStart: String
    let periodEnd: String
    let value: Double
    /// `yearly` or `distinct` for jobs and abroad targets; nil for the trained-labour rate.
    let basis: CountingBasis?
    /// Where it counts (empty: the whole home territory).
    let territory: [ProgressReport.Place]
}
