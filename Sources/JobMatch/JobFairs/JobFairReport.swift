import Hummingbird

/// A session's report (`GET /api/staff/job-fairs/{id}/report` and its page): who took part, who came
/// and by which groups, and what came of it, down to the hires that counted toward the jobs targets.
struct JobFairReport: ResponseCodable {
    /// One group's count (`key` as stored, `label` in Vietnamese).
    struct Count: ResponseCodable {
        let key: String
        let label: String
        let count: Int64
    }

    let jobFair: JobFairView.Summary
    let employers: Int64
    let vacancies: Int64
    let slots: Int64
    let attendees: Int64
    let byHouseholdStatus: [Count]
    let bySex: [Count]
    let byDisability: [Count]
    let byEthnicity: [Count]
    let interviews: Int64
    let offers: Int64
    /// Live hires (a reversed hire is not one).
    let hires: Int64
    /// Hires counted toward a jobs target by the counting rules (`counted_for_target`), as of today:
    /// a person already counted in the period through another job does not count again.
    let countedHires: Int64
}
