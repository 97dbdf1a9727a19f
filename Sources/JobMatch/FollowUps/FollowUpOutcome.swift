/// What a follow-up call found, 3, 6 or 12 months after a counted placement.
enum FollowUpOutcome: String, Codable, Sendable, CaseIterable {
    case stillWorking = "still_working"
    case changedJob = "changed_job"
    case stopped
    case unreachable

    /// The clerk's word for it.
    var vietnamese: String {
        switch self {
        case .stillWorking: "Vẫn làm việc"
        case .changedJob: "Đã chuyển việc khác"
        case .stopped: "Đã nghỉ việc"
        case .unreachable: "Không liên lạc được"
        }
    }

    /// In work at the call (the job found, or another): what the retention rate counts.
    var inWork: Bool { self == .stillWorking || self == .changedJob }
}
