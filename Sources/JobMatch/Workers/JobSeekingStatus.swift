/// Whether a worker is looking for work now.
enum JobSeekingStatus: String, CaseIterable, Sendable {
    case seeking, employed
    case notSeeking = "not_seeking"
}
