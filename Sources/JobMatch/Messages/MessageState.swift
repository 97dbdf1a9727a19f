/// Where a message is: waiting, with the gateway, sent, given up (staff may retry), printed for the
/// officer to send by hand, or cancelled (consent withdrawn, worker anonymised).
enum MessageState: String, CaseIterable, Sendable {
    case queued, sending, sent, failed, printed, cancelled

    /// The officer's word for it.
    var vietnamese: String {
        switch self {
        case .queued: "Chờ gửi"
        case .sending: "Đang gửi"
        case .sent: "Đã gửi"
        case .failed: "Gửi không được"
        case .printed: "Đã in"
        case .cancelled: "Đã hủy"
        }
    }
}
