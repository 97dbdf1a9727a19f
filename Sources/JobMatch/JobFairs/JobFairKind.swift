/// How a job fair is held: at the centre's fixed venue, a mobile session in a commune, or online.
enum JobFairKind: String, CaseIterable, Sendable {
    case fixed
    case mobile
    case online

    /// The Vietnamese name shown to clerks and on the public board.
    var vietnamese: String {
        switch self {
        case .fixed: "Cố định"
        case .mobile: "Lưu động"
        case .online: "Trực tuyến"
        }
    }

    /// Value and name pairs for a form's select.
    static var choices: [(String, String)] { Self.allCases.map { ($0.rawValue, $0.vietnamese) } }
}
