/// Whether a worker is looking for work now.
enum JobSeekingStatus: String, CaseIterable, Sendable {
    case seeking, employed, notSeeking = "not_seeking"
}
