/// How a consent was given or withdrawn.
enum ConsentMeans: String, CaseIterable, Sendable {
    case paperForm = "paper_form"
    case inPerson = "in_person"
    case electronic
}
