/// Vacancies that rank every worker alike (the same occupation, place, age range and abroad rule,
/// and no earlier referrals of their own), solved as one node with their open slots summed: a
/// factory posting the same trade twenty times is ranked and searched once, not twenty times. Any
/// split of a class's workers among its vacancies gains the same, so the class's chosen workers are
/// dealt to its vacancies in turn, best first and in vacancy order: each vacancy gets its share.
public struct VacancyClasses: Sendable {
    /// Each class's vacancies (indices into the batch's list), in that list's order.
    public let members: [[Int]]
    /// Each class's open slots.
    public let capacities: [Int]
    private let openSlots: [Int]

    private struct Key: Hashable {
        let occupation: String
        let lat: Double?
        let lon: Double?
        let minAge: Int?
        let maxAge: Int?
        let openToAbroadBound: Bool
    }

    /// `alone(i)`: vacancy i keeps a class of its own (it has referrals of its own to leave out).
    public init(vacancies: [MatchingVacancy], openSlots: [Int], alone: (Int) -> Bool) {
        var members: [[Int]] = []
        var classOf: [Key: Int] = [:]
        for (i, vacancy) in vacancies.enumerated() {
            let key = Key(
                occupation: vacancy.occupation,
                lat: vacancy.lat,
                lon: vacancy.lon,
                minAge: vacancy.minAge,
                maxAge: vacancy.maxAge,
                openToAbroadBound: vacancy.openToAbroadBound
            )
            if !alone(i), let c = classOf[key] {
                members[c].append(i)
                continue
            }
            if !alone(i) { classOf[key] = members.count }
            members.append([i])
        }
        self.members = members
        self.openSlots = openSlots
        self.capacities = members.map { $0.reduce(0) { $0 + openSlots[$1] } }
    }

    /// The class-level pairs as pairs of single vacancies, by vacancy then worker.
    public func deal(_ pairs: [(vacancy: Int, worker: Int32, gain: Gain)]) -> [(vacancy: Int, worker: Int32, gain: Gain)] {
        var byClass = Array(repeating: [(worker: Int32, gain: Gain)](), count: self.members.count)
        for pair in pairs { byClass[pair.vacancy].append((pair.worker, pair.gain)) }
        var dealt: [(vacancy: Int, worker: Int32, gain: Gain)] = []
        dealt.reserveCapacity(pairs.count)
        for (c, chosen) in byClass.enumerated() where !chosen.isEmpty {
            let members = self.members[c]
            var left = members.map { self.openSlots[$0] }
            var turn = 0
            for pick in chosen.sorted(by: { $0.gain != $1.gain ? $0.gain > $1.gain : $0.worker < $1.worker }) {
                while left[turn] == 0 { turn = (turn + 1) % members.count }
                dealt.append((members[turn], pick.worker, pick.gain))
                left[turn] -= 1
                turn = (turn + 1) % members.count
            }
        }
        return dealt.sorted { ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
    }
}
