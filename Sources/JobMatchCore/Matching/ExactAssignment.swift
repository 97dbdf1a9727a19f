/// The batch's assignment, exact over every eligible (vacancy, worker) pair: as many slots filled as
/// the hard filters allow, then as many workers of poor and near-poor households, then the highest
/// total score (`Gain` compares them in that order). Each vacancy slot is added in turn along the
/// best augmenting path (the Hungarian method: Dijkstra on reduced costs with a dual price `u` per
/// vacancy and `p` per worker); a vacancy's arcs are its ranked candidates, read lazily and extended
/// whenever the path search's bound reaches past a list (the lists grow warm, nothing is solved
/// twice). Leaving a slot unfilled is an arc worth nothing, so every slot ends assigned or knowingly
/// empty. `certificate()` then checks the duals against every eligible pair: the proof of optimality.
/// The same input gives the same answer (fixed orders, ties broken by index).
public final class ExactAssignment {
    public let capacities: [Int]
    public let lists: CandidateLists
    /// Dual price of each vacancy.
    public private(set) var u: [Gain]
    /// Filled and knowingly empty slots per vacancy.
    public private(set) var filled: [Int]
    public private(set) var unfilled: [Int]

    // Workers the search has met, by local index.
    private var local: [Int32: Int32] = [:]
    private var workerOf: [Int32] = []
    private var p: [Gain] = []
    private var match: [Int32] = []
    private var matchGain: [Gain] = []
    // Dijkstra's scratch, valid when the stamp equals `round`.
    private var distV: [Gain], seenV: [UInt32], doneV: [UInt32], predV: [Int32]
    private var distW: [Gain] = [], seenW: [UInt32] = [], doneW: [UInt32] = [], predW: [Int32] = [], gainW: [Gain] = []
    private var round: UInt32 = 0

    private struct Item: HeapElement {
        let key: Gain
        let kind: UInt8  // 0 vacancy, 1 worker, 2 a vacancy's next arc
        let node: Int32
        let position: Int32

        /// Shorter first; ties in a fixed order, so the same input gives the same answer.
        func comesBefore(_ other: Item) -> Bool {
            if self.key != other.key { return self.key < other.key }
            if self.kind != other.kind { return self.kind < other.kind }
            if self.node != other.node { return self.node < other.node }
            return self.position < other.position
        }
    }
    private var heap = BinaryHeap<Item>()

    /// Whether every slot went through the exact search (false: the deadline passed and the rest
    /// were filled greedily, see `init`).
    public private(set) var exact = true
    private var greedyCursor: [Int: Int] = [:]

    /// Solves at once; `lists` gives each vacancy's candidates (table slots) best gain first. Past
    /// `deadline` the remaining slots are given their best free candidate instead (the proof then
    /// says whether the result is still optimal).
    public init(capacities: [Int], lists: CandidateLists, deadline: ContinuousClock.Instant? = nil) {
        let count = capacities.count
        self.capacities = capacities
        self.lists = lists
        self.u = (0..<count).map { lists.bound($0, 0).map { max($0, .zero) } ?? .zero }
        self.filled = Array(repeating: 0, count: count)
        self.unfilled = Array(repeating: 0, count: count)
        self.distV = Array(repeating: .zero, count: count)
        self.seenV = Array(repeating: 0, count: count)
        self.doneV = Array(repeating: 0, count: count)
        self.predV = Array(repeating: -1, count: count)
        for v in 0..<count {
            for _ in 0..<max(0, capacities[v]) {
                if self.exact, let deadline, ContinuousClock.now > deadline { self.exact = false }
                if self.exact { self.augment(from: v) } else { self.takeBestFree(v) }
            }
        }
    }

    /// Gives vacancy v its best free candidate (or leaves the slot empty when none is left).
    private func takeBestFree(_ v: Int) {
        // Workers taken stay taken, so each vacancy's scan goes on where its last one stopped.
        var position = self.greedyCursor[v, default: 0]
        defer { self.greedyCursor[v] = position }
        while self.lists.ensure(v, position) {
            let entry = self.lists.entries[v][position]
            position += 1
            let w = self.localIndex(entry.worker)
            guard self.match[w] < 0 else { continue }
            self.match[w] = Int32(v)
            self.matchGain[w] = entry.gain
            self.filled[v] += 1
            return
        }
        self.unfilled[v] += 1
    }

    /// The chosen pairs: (vacancy, worker slot, gain), by vacancy then worker.
    public var pairs: [(vacancy: Int, worker: Int32, gain: Gain)] {
        self.match.indices.filter { self.match[$0] >= 0 }
            .map { (vacancy: Int(self.match[$0]), worker: self.workerOf[$0], gain: self.matchGain[$0]) }
            .sorted { ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
    }

    public var total: Gain { self.matchGain.indices.reduce(.zero) { self.match[$1] >= 0 ? $0 + self.matchGain[$1] : $0 } }

    private func localIndex(_ worker: Int32) -> Int {
        if let index = self.local[worker] { return Int(index) }
        let index = self.workerOf.count
        self.local[worker] = Int32(index)
        self.workerOf.append(worker)
        self.p.append(.zero)
        self.match.append(-1)
        self.matchGain.append(.zero)
        self.distW.append(.zero)
        self.seenW.append(0)
        self.doneW.append(0)
        self.predW.append(-1)
        self.gainW.append(.zero)
        return index
    }

    /// The lowest possible distance through vacancy x's arc `position` (its dual minus the gain bound).
    private func arcBound(_ x: Int, _ position: Int) -> Gain? {
        self.lists.bound(x, position).map { self.distV[x] + self.u[x] - $0 }
    }

    private enum End {
        case unfilled(Int)
        case free(Int)
    }

    /// Adds one slot of vacancy s: the cheapest alternating path to a free worker or an empty slot.
    private func augment(from s: Int) {
        self.round &+= 1
        let round = self.round
        self.heap.removeAll()
        var doneVacancies: [Int] = []
        var doneWorkers: [Int] = []
        self.distV[s] = .zero
        self.seenV[s] = round
        self.heap.push(Item(key: .zero, kind: 0, node: Int32(s), position: 0))
        var best = Gain.infinity
        var end = End.unfilled(s)
        while let item = self.heap.pop(), item.key < best {
            let node = Int(item.node)
            switch item.kind {
            case 0:
                guard self.doneV[node] != round else { continue }
                self.doneV[node] = round
                doneVacancies.append(node)
                let empty = self.distV[node] + self.u[node]
                if empty < best {
                    best = empty
                    end = .unfilled(node)
                }
                if let bound = self.arcBound(node, 0), bound < best { self.heap.push(Item(key: bound, kind: 2, node: item.node, position: 0)) }
            case 2:
                let position = Int(item.position)
                guard self.lists.ensure(node, position) else { continue }
                let entry = self.lists.entries[node][position]
                let w = self.localIndex(entry.worker)
                if self.match[w] != Int32(node), self.doneW[w] != round {
                    let distance = self.distV[node] + self.u[node] + self.p[w] - entry.gain
                    if self.seenW[w] != round || distance < self.distW[w] {
                        self.seenW[w] = round
                        self.distW[w] = distance
                        self.predW[w] = Int32(node)
                        self.gainW[w] = entry.gain
                        self.heap.push(Item(key: distance, kind: 1, node: Int32(w), position: 0))
                    }
                }
                if let bound = self.arcBound(node, position + 1), bound < best {
                    self.heap.push(Item(key: bound, kind: 2, node: item.node, position: Int32(position + 1)))
                }
            default:
                guard self.doneW[node] != round else { continue }
                self.doneW[node] = round
                doneWorkers.append(node)
                let y = Int(self.match[node])
                if y < 0 {
                    if self.distW[node] < best {
                        best = self.distW[node]
                        end = .free(node)
                    }
                } else if self.doneV[y] != round {
                    // Taking the worker from y, which then looks for another (or leaves the slot empty).
                    let distance = self.distW[node] + (self.matchGain[node] - self.u[y] - self.p[node])
                    if self.seenV[y] != round || distance < self.distV[y] {
                        self.seenV[y] = round
                        self.distV[y] = distance
                        self.predV[y] = Int32(node)
                        self.heap.push(Item(key: distance, kind: 0, node: Int32(y), position: 0))
                    }
                }
            }
        }
        for x in doneVacancies { self.u[x] -= best - self.distV[x] }
        for w in doneWorkers { self.p[w] += best - self.distW[w] }

        var current: Int
        switch end {
        case .unfilled(let x):
            self.unfilled[x] += 1
            if x == s { return }
            self.filled[x] -= 1
            current = Int(self.predV[x])
        case .free(let w):
            current = w
        }
        while true {
            let x = Int(self.predW[current])
            self.match[current] = Int32(x)
            self.matchGain[current] = self.gainW[current]
            if x == s {
                self.filled[s] += 1
                return
            }
            current = Int(self.predV[x])
        }
    }

    /// The proof: prices u (vacancies) and p (workers: what their proposal gains above its vacancy's
    /// price, 0 for workers not proposed) such that no eligible pair outside the assignment gains more
    /// than its two prices, no price is negative, and a vacancy with an empty slot has price 0. Then
    /// no other assignment can gain more (linear programming duality). Every pair whose gain exceeds
    /// its vacancy's price is checked, reading lists further where they stop above that price.
    public struct Certificate: Sendable, Equatable {
        public let optimal: Bool
        public let violations: Int
        public let pairsChecked: Int
    }

    /// `against`: other lists to check these prices with (tests show that a wrong proof fails).
    public func certificate(against other: CandidateLists? = nil) -> Certificate {
        let lists = other ?? self.lists
        var violations = 0
        var checked = 0
        func price(_ worker: Int32) -> Gain {
            guard let index = self.local[worker].map(Int.init), self.match[index] >= 0 else { return .zero }
            return self.matchGain[index] - self.u[Int(self.match[index])]
        }
        for index in self.match.indices where self.match[index] >= 0 && price(self.workerOf[index]) < .zero { violations += 1 }
        for v in self.capacities.indices {
            if self.u[v] < .zero || (self.unfilled[v] > 0 && self.u[v] != .zero) { violations += 1 }
            var position = 0
            while let bound = lists.bound(v, position), self.u[v] < bound {
                guard lists.ensure(v, position) else { break }
                let entry = lists.entries[v][position]
                position += 1
                guard entry.gain > self.u[v] else { break }
                checked += 1
                let index = self.local[entry.worker].map(Int.init)
                if let index, self.match[index] == Int32(v) { continue }
                if self.u[v] + price(entry.worker) < entry.gain { violations += 1 }
            }
        }
        return Certificate(optimal: violations == 0, violations: violations, pairsChecked: checked)
    }
}
