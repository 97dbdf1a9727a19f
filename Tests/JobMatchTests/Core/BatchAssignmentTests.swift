import JobMatchCore
import PropertyBased
import Testing

/// A small random assignment problem: capacities, worker count and weighted pairs.
struct SmallProblem: Sendable, CustomStringConvertible {
    let capacities: [Int]
    let workerCount: Int
    let pairs: [BatchAssignment.Pair]
    var description: String { "capacities \(capacities), workers \(workerCount), pairs \(pairs.map { "\($0.vacancy)-\($0.worker):\($0.weight)" })" }

    static var generator: Generator<SmallProblem, some Sequence & SendableMetatype> {
        zip(Gen.int(in: 0...3).array(of: 1...4), Gen.int(in: 1...6), Gen.int(in: 0...60).array(of: 24))
            .map { capacities, workers, weights in
                var pairs: [BatchAssignment.Pair] = []
                for v in 0..<capacities.count {
                    for w in 0..<workers where weights[(v * 6 + w) % weights.count] % 3 != 0 {
                        pairs.append(.init(vacancy: v, worker: w, weight: Int64(weights[(v * 6 + w) % weights.count])))
                    }
                }
                return SmallProblem(capacities: capacities, workerCount: workers, pairs: pairs)
            }
    }

    /// The best total by trying every choice of each worker (none or one of their vacancies).
    func bruteForce() -> Int64 {
        var best: Int64 = 0
        var left = self.capacities
        func visit(_ worker: Int, _ total: Int64) {
            guard worker < self.workerCount else { best = max(best, total); return }
            visit(worker + 1, total)
            for pair in self.pairs where pair.worker == worker && left[pair.vacancy] > 0 {
                left[pair.vacancy] -= 1
                visit(worker + 1, total + pair.weight)
                left[pair.vacancy] += 1
            }
        }
        visit(0, 0)
        return best
    }
}

@Suite("Batch assignment (minimum-cost flow)")
struct BatchAssignmentTests {
    @Test("property: the assignment is feasible and its total equals the best found by trying every choice")
    func optimal() async {
        await propertyCheck(count: 400, input: SmallProblem.generator) { problem in
            let chosen = BatchAssignment.optimal(capacities: problem.capacities, workerCount: problem.workerCount, pairs: problem.pairs)
            #expect(Set(chosen.map(\.worker)).count == chosen.count, "\(problem)")
            for (v, slots) in problem.capacities.enumerated() { #expect(chosen.filter { $0.vacancy == v }.count <= slots, "\(problem)") }
            #expect(chosen.allSatisfy { problem.pairs.contains($0) })
            #expect(BatchAssignment.total(chosen) == problem.bruteForce(), "\(problem)")
            let greedy = BatchAssignment.greedy(capacities: problem.capacities, workerCount: problem.workerCount, pairs: problem.pairs)
            #expect(BatchAssignment.total(greedy) <= BatchAssignment.total(chosen))
        }
    }

    @Test("where greedy takes the best pair first and loses, the optimum does not; the same input gives the same answer")
    func beatsGreedy() {
        // Worker 0 is best for both vacancies; worker 1 fits only vacancy 0.
        let pairs = [BatchAssignment.Pair(vacancy: 0, worker: 0, weight: 10), .init(vacancy: 1, worker: 0, weight: 9), .init(vacancy: 0, worker: 1, weight: 8)]
        let optimal = BatchAssignment.optimal(capacities: [1, 1], workerCount: 2, pairs: pairs)
        #expect(BatchAssignment.total(optimal) == 17)
        #expect(BatchAssignment.total(BatchAssignment.greedy(capacities: [1, 1], workerCount: 2, pairs: pairs)) == 10)
        #expect(BatchAssignment.optimal(capacities: [1, 1], workerCount: 2, pairs: pairs) == optimal)
    }
}
