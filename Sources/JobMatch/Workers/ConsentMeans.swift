/// How a consent was given or withdrawn.
enum ConsentMeans: String, CaseIterable, Sendable {
    case paperForm = "paper_form", inPerson = "in_person", electronic
}
