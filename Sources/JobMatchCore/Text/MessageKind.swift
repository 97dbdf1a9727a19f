/// What a message to a worker is about.
public enum MessageKind: String, CaseIterable, Sendable {
    case referral, interview
    case jobFair = "job_fair"
    case followUp = "follow_up"

    /// The officer's word for it.
    public var vietnamese: String {
        switch self {
        case .referral: "Giới thiệu việc làm"
        case .interview: "Phỏng vấn"
        case .jobFair: "Phiên giao dịch việc làm"
        case .followUp: "Theo dõi sau giới thiệu"
        }
    }
}
