/// Staff roles, from most to least privileged.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case admin
    case officer
    case viewer

    /// Whether this role may change data (viewers only read).
    public var canWrite: Bool { self != .viewer }
}
