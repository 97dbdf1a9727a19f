import JobMatchCore
import PropertyBased
import Testing

/// A small random batch: capacities, workers (some of poor or near-poor households) and eligible pairs with scores.
struct SmallProblem: Sendable, CustomStringConvertible {
    let capacities: [Int]
    let priority: [Bool]
    /// score[v][w], nil when the pair is not eligible.
    let scores: [[Int?]]
    var description: String { "capacities \(capacities), priority \(priority), scores \(scores)" }

    static var generator: Generator<SmallProblem, some Sequence & SendableMetatype> {
        zip(Gen.int(in: 0...3).array(of: 1...4), Gen.int(in: 1...6), Gen.int(in: 0...60).array(of: 24), Gen.bool.array(of: 6))
            .map { capacities, workers, numbers, priority in
                let scores = capacities.indices.map { v in
                    (0..<workers).map { w -> Int? in
                        let n = numbers[(v * 6 + w) % numbers.count]
                        return n % 3 == 0 ? nil : n % 25
                    }
                }
                return SmallProblem(capacities: capacities, priority: Array(priority.prefix(workers)), scores: scores)
            }
    }

    var workers: Int { self.priority.count }

    func gain(_ v: Int, _ w: Int) -> Gain? { self.scores[v][w].map { Gain(priority: self.priority[w], score: $0) } }

    /// Lists in gain order (ties: lower worker), read `count` at a time as the batch asks.
    func lists(first: Int = 1) -> CandidateLists {
        CandidateLists(vacancies: self.capacities.count, first: first) { v, have, more in
            let all = (0..<self.workers).compactMap { w in self.gain(v, w).map { CandidateEntry(worker: Int32(w), gain: $0) } }
                .sorted { $0.gain != $1.gain ? $0.gain > $1.gain : $0.worker < $1.worker }
            let end = min(all.count, have + more)
            return (Array(all[min(have, end)..<end]), all.count > end ? all[end].gain : nil)
        }
    }

    /// The best total gain by trying every choice of each worker (none or one of their vacancies).
    func bruteForce() -> Gain {
        var best = Gain.zero
        var left = self.capacities
        func visit(_ worker: Int, _ total: Gain) {
            guard worker < self.workers else {
                best = max(best, total)
                return
            }
            visit(worker + 1, total)
            for v in self.capacities.indices where left[v] > 0 {
                guard let gain = self.gain(v, worker) else { continue }
                left[v] -= 1
                visit(worker + 1, total + gain)
                left[v] += 1
            }
        }
        visit(0, .zero)
        return best
    }
}

@Suite("Batch assignment (exact over every eligible pair, with its proof)")
struct ExactAssignmentTests {
    @Test("property: feasible, as many slots, priority workers and points as the best found by trying every choice, and proven optimal")
    func optimal() async {
        await propertyCheck(count: 500, input: SmallProblem.generator) { problem in
            let solved = ExactAssignment(capacities: problem.capacities, lists: problem.lists())
            let chosen = solved.pairs
            #expect(Set(chosen.map(\.worker)).count == chosen.count, "\(problem)")
            for (v, slots) in problem.capacities.enumerated() {
                #expect(chosen.filter { $0.vacancy == v }.count <= slots, "\(problem)")
                #expect(solved.filled[v] + solved.unfilled[v] == slots, "\(problem)")
            }
            #expect(chosen.allSatisfy { problem.gain($0.vacancy, Int($0.worker)) == $0.gain }, "\(problem)")
            #expect(solved.total == problem.bruteForce(), "\(problem)")
            #expect(solved.certificate().optimal, "\(problem)")
            #expect(MaximumFill.slots(capacities: problem.capacities, lists: problem.lists()) == Int(problem.bruteForce().slots), "\(problem)")
            let greedy = GreedyBaseline.pairs(capacities: problem.capacities, lists: problem.lists(first: 100))
            #expect(greedy.reduce(Gain.zero) { $0 + $1.gain } <= solved.total)
        }
    }

    @Test("where every vacancy's own top list holds the same workers, pre-cut lists leave slots empty; the full solve fills them all")
    func preCutListsLose() {
        // 30 vacancies of one slot; workers 0-19 are everyone's best, 20-59 lower. Top-20 lists hold only 0-19.
        let vacancies = 30
        let lists = { (cut: Int?) in
            CandidateLists(vacancies: vacancies, first: 20) { v, have, more in
                let all = (0..<60).map { w in CandidateEntry(worker: Int32(w), gain: Gain(priority: w < 20, score: 100 - w - v % 3)) }
                let end = min(all.count, have + more, cut ?? all.count)
                return (Array(all[min(have, end)..<end]), cut == nil && all.count > end ? all[end].gain : nil)
            }
        }
        let precut = ExactAssignment(capacities: Array(repeating: 1, count: vacancies), lists: lists(20))
        #expect(precut.pairs.count == 20)
        let full = ExactAssignment(capacities: Array(repeating: 1, count: vacancies), lists: lists(nil))
        #expect(full.pairs.count == 30)
        #expect(full.lists.extensions > 0)
        #expect(MaximumFill.slots(capacities: Array(repeating: 1, count: vacancies), lists: lists(nil)) == 30)
        let proof = full.certificate()
        #expect(proof.optimal && proof.violations == 0 && proof.pairsChecked > 0)
        // All 20 priority workers are placed, and the run is deterministic.
        #expect(full.pairs.filter { $0.worker < 20 }.count == 20)
        #expect(ExactAssignment(capacities: Array(repeating: 1, count: vacancies), lists: lists(nil)).pairs.map(\.worker) == full.pairs.map(\.worker))
    }

    @Test("the certificate catches a wrong assignment: a missed pair that would gain more is a violation")
    func certificateCanFail() {
        let problem = SmallProblem(capacities: [1, 1], priority: [false, false], scores: [[10, 8], [9, nil]])
        let solved = ExactAssignment(capacities: problem.capacities, lists: problem.lists())
        #expect(solved.total == Gain(priority: false, score: 8) + Gain(priority: false, score: 9))
        #expect(solved.certificate().optimal)
        // The same prices against lists that now show vacancy 1 a far better worker 1 (score 50): not optimal.
        let other = SmallProblem(capacities: [1, 1], priority: [false, false], scores: [[10, 8], [9, 50]])
        #expect(!solved.certificate(against: other.lists()).optimal)
    }

    /// The greedy baseline as it reads: every pair sorted by gain (ties by vacancy, then worker), then taken in turn.
    static func plainGreedy(capacities: [Int], lists: CandidateLists) -> [(vacancy: Int, worker: Int32, gain: Gain)] {
        var all: [(vacancy: Int, worker: Int32, gain: Gain)] = []
        for v in capacities.indices { for entry in lists.entries[v] { all.append((v, entry.worker, entry.gain)) } }
        all.sort { $0.gain != $1.gain ? $0.gain > $1.gain : ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
        var left = capacities
        var taken = Set<Int32>()
        return all.filter { pair in
            guard left[pair.vacancy] > 0, !taken.contains(pair.worker) else { return false }
            left[pair.vacancy] -= 1
            taken.insert(pair.worker)
            return true
        }
    }

    @Test("property: the greedy baseline's packed sort takes the same pairs as the plain sort, negative scores and all")
    func greedyAsPlain() async {
        await propertyCheck(count: 300, input: SmallProblem.generator) { problem in
            for first in [1, 3, 100] {
                let fast = GreedyBaseline.pairs(capacities: problem.capacities, lists: problem.lists(first: first))
                let plain = Self.plainGreedy(capacities: problem.capacities, lists: problem.lists(first: first))
                #expect(fast.map(\.vacancy) == plain.map(\.vacancy) && fast.map(\.worker) == plain.map(\.worker), "\(problem)")
                #expect(fast.map(\.gain) == plain.map(\.gain), "\(problem)")
            }
        }
        // Scores below zero and far apart, priority on both sides of a tie, a worker index past 2^16.
        let lists = CandidateLists(vacancies: 3, first: 10) { v, have, _ in
            guard have == 0 else { return ([], nil) }
            let entries = [
                CandidateEntry(worker: 70_000, gain: Gain(priority: false, score: -5)),
                CandidateEntry(worker: Int32(v), gain: Gain(priority: v == 1, score: -1_000_000 + v)),
                CandidateEntry(worker: 3, gain: Gain(priority: true, score: 7)),
                CandidateEntry(worker: 4, gain: Gain(priority: false, score: 1 << 40)),
            ]
            return (entries, nil)
        }
        let fast = GreedyBaseline.pairs(capacities: [2, 1, 3], lists: lists)
        let plain = Self.plainGreedy(capacities: [2, 1, 3], lists: lists)
        #expect(fast.map(\.worker) == plain.map(\.worker) && fast.map(\.gain) == plain.map(\.gain) && fast.count >= 4)
    }

    @Test("greedy takes the best pair first and loses where the optimum does not")
    func beatsGreedy() {
        let problem = SmallProblem(capacities: [1, 1], priority: [false, false], scores: [[10, 8], [9, nil]])
        let solved = ExactAssignment(capacities: problem.capacities, lists: problem.lists())
        let greedy = GreedyBaseline.pairs(capacities: problem.capacities, lists: problem.lists(first: 10))
        #expect(greedy.count == 1 && solved.pairs.count == 2)
    }

    @Test("past its deadline the search stops; the remaining slots get their best free candidate and the proof says whether that is optimal")
    func deadline() {
        let problem = SmallProblem(capacities: [1, 1], priority: [false, false], scores: [[10, 8], [9, nil]])
        let hurried = ExactAssignment(capacities: problem.capacities, lists: problem.lists(), deadline: ContinuousClock.now - .seconds(1))
        #expect(!hurried.exact)
        // Greedy in vacancy order: vacancy 0 takes worker 0 (10), vacancy 1 has no one left: one slot empty, and the proof fails.
        #expect(hurried.pairs.count == 1 && hurried.unfilled == [0, 1])
        #expect(!hurried.certificate().optimal)
        let patient = ExactAssignment(capacities: problem.capacities, lists: problem.lists(), deadline: ContinuousClock.now + .seconds(60))
        #expect(patient.exact && patient.pairs.count == 2 && patient.certificate().optimal)
    }
}
