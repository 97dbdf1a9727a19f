/// A merge not undone, as the duplicates page lists it.
struct RecentMerge: Sendable {
    let mergeID: Int64
    let keptID: Int64
    let keptName: String
    let mergedID: Int64
    let mergedName: String
    /// `dd/mm/yyyy hh:mm` in Vietnam.
    let mergedAt: String
    /// The staff member's display name or username; "" when unknown.
    let mergedBy: String
}
