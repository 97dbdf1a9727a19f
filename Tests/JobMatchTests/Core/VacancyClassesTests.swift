import JobMatchCore
import PropertyBased
import Testing

@Suite("Batch: vacancies that rank every worker alike are solved as one")
struct VacancyClassesTests {
    static func vacancy(_ id: Int64, occupation: String = "8153", lat: Double? = 9.67, minAge: Int? = nil) -> MatchingVacancy {
        MatchingVacancy(id: id, occupation: occupation, lat: lat, lon: 105.4, minAge: minAge, maxAge: nil, openToAbroadBound: false)
    }

    @Test("the same trade, place, ages and abroad rule make one class; another place, age or a vacancy with its own referrals do not")
    func grouping() {
        let vacancies = [Self.vacancy(1), Self.vacancy(2, lat: 9.9), Self.vacancy(3), Self.vacancy(4, minAge: 18), Self.vacancy(5), Self.vacancy(6)]
        let classes = VacancyClasses(vacancies: vacancies, openSlots: [2, 1, 3, 1, 1, 4], alone: { $0 == 4 })
        #expect(classes.members == [[0, 2, 5], [1], [3], [4]])
        #expect(classes.capacities == [9, 1, 1, 1])
    }

    @Test("a class's workers are dealt best first to its vacancies in turn, within each one's open slots")
    func dealing() {
        let classes = VacancyClasses(vacancies: [Self.vacancy(1), Self.vacancy(2)], openSlots: [2, 1], alone: { _ in false })
        let gains = [Gain(priority: true, score: 50), Gain(priority: true, score: 70), Gain(priority: false, score: 90)]
        let dealt = classes.deal([(0, 7, gains[0]), (0, 8, gains[1]), (0, 9, gains[2])])
        // Best first: 8 (priority, 70) to the first vacancy, 7 to the second, 9 back to the first (the second is full).
        #expect(dealt.map { [$0.vacancy, Int($0.worker)] } == [[0, 8], [0, 9], [1, 7]])
        // Fewer workers than slots: each vacancy gets one before any gets a second.
        let two = VacancyClasses(vacancies: [Self.vacancy(1), Self.vacancy(2)], openSlots: [2, 2], alone: { _ in false })
        #expect(two.deal([(0, 3, gains[0]), (0, 4, gains[1])]).map(\.vacancy) == [0, 1])
    }

    @Test("property: solving classes then dealing gains exactly what solving every vacancy alone gains, within every vacancy's slots")
    func sameOptimum() async {
        await propertyCheck(count: 300, input: zip(SmallProblem.generator, Gen.int(in: 0...3).array(of: 1...4))) { input in
            let (problem, copies) = input
            // Each vacancy of the small problem appears 1 to 4 times with the same scores (the same facts).
            var rows: [Int] = []
            var slots: [Int] = []
            for (v, capacity) in problem.capacities.enumerated() {
                for copy in 0..<(1 + copies[v % copies.count]) {
                    rows.append(v)
                    slots.append(copy == 0 ? capacity : max(1, capacity - copy))
                }
            }
            let facts = rows.enumerated().map { Self.vacancy(Int64($0.offset), occupation: "\(8100 + $0.element)") }
            func lists(_ rowOf: @escaping (Int) -> Int, count: Int) -> CandidateLists {
                CandidateLists(vacancies: count, first: 1) { node, have, more in
                    let v = rows[rowOf(node)]
                    let all = (0..<problem.workers).compactMap { w in problem.gain(v, w).map { CandidateEntry(worker: Int32(w), gain: $0) } }
                        .sorted { $0.gain != $1.gain ? $0.gain > $1.gain : $0.worker < $1.worker }
                    let end = min(all.count, have + more)
                    return (Array(all[min(have, end)..<end]), all.count > end ? all[end].gain : nil)
                }
            }
            let alone = ExactAssignment(capacities: slots, lists: lists({ $0 }, count: rows.count))
            let classes = VacancyClasses(vacancies: facts, openSlots: slots, alone: { _ in false })
            let grouped = ExactAssignment(capacities: classes.capacities, lists: lists({ classes.members[$0][0] }, count: classes.members.count))
            let dealt = classes.deal(grouped.pairs)
            #expect(dealt.reduce(Gain.zero) { $0 + $1.gain } == alone.total)
            #expect(grouped.certificate().optimal)
            for (row, open) in slots.enumerated() { #expect(dealt.filter { $0.vacancy == row }.count <= open) }
            #expect(Set(dealt.map(\.worker)).count == dealt.count)
        }
    }
}
