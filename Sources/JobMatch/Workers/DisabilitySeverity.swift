/// How severe a worker's disability is (particularly severe, severe, mild).
enum DisabilitySeverity: String, CaseIterable, Sendable {
    case particularlySevere = "particularly_severe"
    case severe, mild
}
