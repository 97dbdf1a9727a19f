/// Who is calling: a staff member (by token) or an employer (by API key).
public enum Principal: Sendable, Equatable {
    case staff(id: Int64, username: String, role: StaffRole)
    case employer(employerID: Int64, keyID: Int64)

    /// The actor columns of the audit log and referral history.
    var actor: (kind: String, id: Int64) {
        switch self {
        case .staff(let id, _, _): ("staff", id)
        case .employer(let employerID, _): ("employer", employerID)
        }
    }

    var staffID: Int64? {
        if case .staff(let id, _, _) = self { return id }
        return nil
    }

    var isEmployer: Bool {
        if case .employer = self { return true }
        return false
    }
}
