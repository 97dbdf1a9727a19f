import Hummingbird

/// Who may open a page or send a form of the web app.
enum WebAccess: String, Sendable {
    /// Every signed-in role, viewers included (pages, searches).
    case staff
    /// Admins and officers: every form that changes something.
    case writers
    /// Admins only (staff accounts).
    case admins

    func allows(_ role: StaffRole) -> Bool {
        switch self {
        case .staff: true
        case .writers: role.canWrite
        case .admins: role == .admin
        }
    }
}
