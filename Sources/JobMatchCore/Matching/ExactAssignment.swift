/// The batch's assignment, exact over every eligible (vacancy, worker) pair: as many slots filled as
/// the hard filters allow, then as many workers of poor and near-poor households, then the highest
/// total score (`Gain` compares them in that order). It is the primal-dual method for a min-cost flow
/// from a source S through the vacancies' open slots to the workers: each phase runs one Dijkstra on
/// reduced costs from every vacancy with slots still to give (dual price `u` per vacancy, `p` per
/// worker, `sigma` for S), moves the prices by the distances, and then gives slots along every path
/// of zero reduced cost it can find (a blocking flow, as Dinic and Hopcroft-Karp do), so a phase
/// settles many slots at once. A vacancy's arcs are its ranked candidates, read lazily and extended
/// whenever a search's bound reaches past a list. Leaving a slot unfilled is an arc worth nothing, so
/// every slot ends assigned or knowingly empty. `certificate()` then checks the duals against every
/// eligible pair: the proof of optimality. The same input gives the same answer (fixed orders, ties
/// broken by index).
public final class ExactAssignment {
    public let capacities: [Int]
    public let lists: CandidateLists
    /// Dual price of each vacancy.
    public private(set) var u: [Gain]
    /// Filled and knowingly empty slots per vacancy.
    public private(set) var filled: [Int]
    public private(set) var unfilled: [Int]
    /// Phases run: each is one shortest-path search and every shortest path it opened.
    public private(set) var phases = 0

    /// Slots each vacancy has still to give, and the price of the source that gives them.
    private var remaining: [Int]
    private var sigma: Gain

    // Workers the search has met, by local index.
    private var localOf: [Int32] = []  // by table slot, -1 when not met
    private var workerOf: [Int32] = []
    private var p: [Gain] = []
    private var match: [Int32] = []
    private var matchGain: [Gain] = []
    // Dijkstra's scratch, valid when the stamp equals `round`.
    private var distV: [Gain], seenV: [UInt32], doneV: [UInt32]
    private var distW: [Gain] = [], seenW: [UInt32] = [], doneW: [UInt32] = []
    private var round: UInt32 = 0
    private var passStamp: UInt32 = 0
    private var doneVacancies: [Int32] = []
    private var doneWorkers: [Int32] = []
    // Each vacancy's tight arcs to taken workers, read from its list once per phase when a path first
    // reaches it (`tight[tightStart[v]..<tightEnd[v]]` while `tightPhase[v]` is the phase).
    private var tight: [(worker: Int32, gain: Gain)] = []
    private var tightStart: [Int32], tightEnd: [Int32], tightPhase: [Int]
    /// Each vacancy's first list position whose worker may still be free (taken workers stay taken).
    private var freeCursor: [Int32]
    // The path search's scratch: each vacancy's next arc and the workers met in this pass.
    private var cursor: [Int32], cursorStamp: [UInt32]
    /// Each vacancy's layer in this pass (valid when `levelStamp` is the pass): how many tight steps
    /// from a vacancy with slots to give. Paths only go one layer deeper at each step.
    private var level: [Int32], levelStamp: [UInt32]
    private var queue: [Int32] = []
    private var metW: [UInt32] = []
    private var stack: [Int32] = []
    private var taken: [(worker: Int32, gain: Gain)] = []

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

    /// Solves at once; `lists` gives each vacancy's candidates (table slots) best gain first. Past
    /// `deadline` the remaining slots are given their best free candidate instead (the proof then
    /// says whether the result is still optimal).
    public init(capacities: [Int], lists: CandidateLists, deadline: ContinuousClock.Instant? = nil) {
        let count = capacities.count
        self.capacities = capacities
        self.lists = lists
        let tops = (0..<count).map { lists.bound($0, 0).map { max($0, .zero) } ?? .zero }
        self.u = tops
        self.remaining = capacities.map { max(0, $0) }
        self.sigma = (0..<count).filter { capacities[$0] > 0 }.map { tops[$0] }.max() ?? .zero
        self.filled = Array(repeating: 0, count: count)
        self.unfilled = Array(repeating: 0, count: count)
        self.distV = Array(repeating: .zero, count: count)
        self.seenV = Array(repeating: 0, count: count)
        self.doneV = Array(repeating: 0, count: count)
        self.tightStart = Array(repeating: 0, count: count)
        self.tightEnd = Array(repeating: 0, count: count)
        self.tightPhase = Array(repeating: 0, count: count)
        self.freeCursor = Array(repeating: 0, count: count)
        self.cursor = Array(repeating: 0, count: count)
        self.cursorStamp = Array(repeating: 0, count: count)
        self.level = Array(repeating: 0, count: count)
        self.levelStamp = Array(repeating: 0, count: count)
        while self.remaining.contains(where: { $0 > 0 }) {
            if let deadline, ContinuousClock.now > deadline {
                self.exact = false
                break
            }
            self.phases += 1
            self.search()
            self.giveAlongShortestPaths()
        }
        for v in 0..<count {
            while self.remaining[v] > 0 {
                self.remaining[v] -= 1
                self.takeBestFree(v)
            }
        }
    }

    /// Gives vacancy v its best free candidate (or leaves the slot empty when none is left).
    private func takeBestFree(_ v: Int) {
        guard let (w, gain) = self.firstFree(v, atLeast: nil) else {
            self.unfilled[v] += 1
            return
        }
        self.match[w] = Int32(v)
        self.matchGain[w] = gain
        self.filled[v] += 1
    }

    /// The chosen pairs: (vacancy, worker slot, gain), by vacancy then worker.
    public var pairs: [(vacancy: Int, worker: Int32, gain: Gain)] {
        self.match.indices.filter { self.match[$0] >= 0 }
            .map { (vacancy: Int(self.match[$0]), worker: self.workerOf[$0], gain: self.matchGain[$0]) }
            .sorted { ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
    }

    public var total: Gain { self.matchGain.indices.reduce(.zero) { self.match[$1] >= 0 ? $0 + self.matchGain[$1] : $0 } }

    private func localIndex(_ worker: Int32) -> Int {
        let slot = Int(worker)
        if slot < self.localOf.count, self.localOf[slot] >= 0 { return Int(self.localOf[slot]) }
        if slot >= self.localOf.count {
            self.localOf.append(contentsOf: repeatElement(-1, count: max(slot + 1 - self.localOf.count, self.localOf.count)))
        }
        let index = self.workerOf.count
        self.localOf[slot] = Int32(index)
        self.workerOf.append(worker)
        self.p.append(.zero)
        self.match.append(-1)
        self.matchGain.append(.zero)
        self.distW.append(.zero)
        self.seenW.append(0)
        self.doneW.append(0)
        self.metW.append(0)
        return index
    }

    /// The local index of a worker the search has met, or nil.
    private func met(_ worker: Int32) -> Int? {
        let slot = Int(worker)
        return slot < self.localOf.count && self.localOf[slot] >= 0 ? Int(self.localOf[slot]) : nil
    }

    /// The lowest possible distance through vacancy x's arc `position` (its dual minus the gain bound).
    private func arcBound(_ x: Int, _ position: Int) -> Gain? {
        self.lists.bound(x, position).map { self.distV[x] + self.u[x] - $0 }
    }

    /// One Dijkstra from S (every vacancy with slots to give) to the nearest free worker or empty
    /// slot, at distance D; then the prices move so that every shortest path has reduced cost zero.
    private func search() {
        self.round &+= 1
        let round = self.round
        self.heap.removeAll()
        self.doneVacancies.removeAll(keepingCapacity: true)
        self.doneWorkers.removeAll(keepingCapacity: true)
        for v in self.remaining.indices where self.remaining[v] > 0 {
            self.distV[v] = self.sigma - self.u[v]
            self.seenV[v] = round
            self.heap.appendUnordered(Item(key: self.distV[v], kind: 0, node: Int32(v), position: 0))
        }
        self.heap.heapify()
        var best = Gain.infinity
        while let item = self.heap.pop(), item.key < best {
            let node = Int(item.node)
            switch item.kind {
            case 0:
                guard self.doneV[node] != round else { continue }
                self.doneV[node] = round
                self.doneVacancies.append(item.node)
                best = min(best, self.distV[node] + self.u[node])  // leaving a slot empty
                if let bound = self.arcBound(node, 0), bound < best { self.heap.push(Item(key: bound, kind: 2, node: item.node, position: 0)) }
            case 2:
                // A vacancy's arcs, one after another while the next would also be the heap's next item
                // (the same order as pushing each and popping it at once, without the heap's work).
                var position = Int(item.position)
                while self.lists.ensure(node, position) {
                    let entry = self.lists.entries[node][position]
                    let w = self.localIndex(entry.worker)
                    if self.match[w] != Int32(node), self.doneW[w] != round {
                        let distance = self.distV[node] + self.u[node] + self.p[w] - entry.gain
                        if self.seenW[w] != round || distance < self.distW[w] {
                            self.seenW[w] = round
                            self.distW[w] = distance
                            self.heap.push(Item(key: distance, kind: 1, node: Int32(w), position: 0))
                        }
                    }
                    position += 1
                    guard let bound = self.arcBound(node, position), bound < best else { break }
                    let next = Item(key: bound, kind: 2, node: item.node, position: Int32(position))
                    if let top = self.heap.top, top.comesBefore(next) {
                        self.heap.push(next)
                        break
                    }
                }
            default:
                guard self.doneW[node] != round else { continue }
                self.doneW[node] = round
                self.doneWorkers.append(item.node)
                let y = Int(self.match[node])
                if y < 0 {
                    best = min(best, self.distW[node])
                } else if self.doneV[y] != round {
                    // Taking the worker from y, which then looks for another (or leaves the slot empty).
                    let distance = self.distW[node] + (self.matchGain[node] - self.u[y] - self.p[node])
                    if self.seenV[y] != round || distance < self.distV[y] {
                        self.seenV[y] = round
                        self.distV[y] = distance
                        self.heap.push(Item(key: distance, kind: 0, node: Int32(y), position: 0))
                    }
                }
            }
        }
        for x in self.doneVacancies { self.u[Int(x)] -= best - self.distV[Int(x)] }
        for w in self.doneWorkers { self.p[Int(w)] += best - self.distW[Int(w)] }
        self.sigma -= best
    }

    /// Gives slots along paths of zero reduced cost (all shortest), from each vacancy whose source arc
    /// is tight, until none is left; a vacancy's arcs are read once per phase.
    private func giveAlongShortestPaths() {
        // Each pass layers the tight graph from the vacancies with slots to give (breadth first) and
        // gives along paths that go one layer deeper at each step, each worker met once (Hopcroft and
        // Karp's blocking flow): a pass's dead ends stay dead, and the shortest paths go first, so a
        // few passes over the same prices (cheaper than a new search) give every path there is.
        self.tight.removeAll(keepingCapacity: true)
        while true {
            self.passStamp &+= 1
            let stamp = self.passStamp
            guard self.layer(stamp: stamp) else { return }
            var gave = false
            for v in self.remaining.indices where self.startsPaths(v) {
                while self.remaining[v] > 0, self.givePath(from: v, stamp: stamp) {
                    self.remaining[v] -= 1
                    gave = true
                }
            }
            if !gave { return }
        }
    }

    /// Vacancy v has slots to give and its arc from the source is tight: a path of this phase may start there.
    private func startsPaths(_ v: Int) -> Bool { self.remaining[v] > 0 && self.u[v] == self.sigma }

    /// Vacancy x's first free worker when their arc is tight (the worker gains exactly x's price plus theirs).
    private func tightFree(_ x: Int) -> (worker: Int, gain: Gain)? {
        guard let free = self.firstFree(x, atLeast: self.u[x]), self.u[x] + self.p[free.worker] == free.gain else { return nil }
        return free
    }

    /// Layers the tight graph breadth first from every vacancy with slots to give and a tight source
    /// arc, down to the first layer that reaches a free worker or an empty slot; false when none does.
    private func layer(stamp: UInt32) -> Bool {
        self.queue.removeAll(keepingCapacity: true)
        for v in self.remaining.indices where self.startsPaths(v) {
            self.levelStamp[v] = stamp
            self.level[v] = 0
            self.queue.append(Int32(v))
        }
        var reached = Int32.max
        var head = 0
        while head < self.queue.count {
            let x = Int(self.queue[head])
            head += 1
            let depth = self.level[x]
            if depth >= reached { break }
            if self.u[x] == .zero {
                reached = depth
                continue
            }
            let (first, end) = self.tightArcs(x)
            for k in first..<end {
                let w = Int(self.tight[k].worker)
                let y = Int(self.match[w])
                guard y >= 0, y != x, self.levelStamp[y] != stamp, self.u[y] + self.p[w] == self.matchGain[w] else { continue }
                self.levelStamp[y] = stamp
                self.level[y] = depth + 1
                self.queue.append(Int32(y))
            }
            if self.tightFree(x) != nil { reached = depth }
        }
        return reached != Int32.max
    }

    /// One path of zero reduced cost from s to a free worker or an empty slot, depth first without
    /// recursion; applies it and returns true, or false when there is none left in this phase.
    private func givePath(from s: Int, stamp: UInt32) -> Bool {
        self.stack.removeAll(keepingCapacity: true)
        self.taken.removeAll(keepingCapacity: true)
        self.stack.append(Int32(s))
        while let top = self.stack.last {
            let x = Int(top)
            if self.u[x] == .zero {  // an empty slot costs nothing more here
                self.apply(free: nil)
                return true
            }
            if self.cursorStamp[x] != stamp {
                self.cursorStamp[x] = stamp
                self.cursor[x] = 0
            }
            var next: (worker: Int, gain: Gain)?
            let (first, end) = self.tightArcs(x)
            while first + Int(self.cursor[x]) < end {
                let arc = self.tight[first + Int(self.cursor[x])]
                self.cursor[x] += 1
                let w = Int(arc.worker)
                let y = Int(self.match[w])
                guard y != x, self.metW[w] != stamp else { continue }
                // On only along a tight arc back to y (its price and the worker's add up to their
                // pair's gain), one layer deeper.
                guard y < 0 || (self.u[y] + self.p[w] == self.matchGain[w] && self.levelStamp[y] == stamp && self.level[y] == self.level[x] + 1)
                else { continue }
                self.metW[w] = stamp
                next = (w, arc.gain)
                break
            }
            if next == nil, first + Int(self.cursor[x]) == end {
                // Then the first free worker, when it gains exactly the vacancy's price.
                self.cursor[x] += 1
                if let free = self.tightFree(x), self.metW[free.worker] != stamp {
                    self.metW[free.worker] = stamp
                    next = free
                }
            }
            guard let (w, gain) = next else {
                // No way on from x in this phase.
                self.stack.removeLast()
                if !self.taken.isEmpty { self.taken.removeLast() }
                continue
            }
            let y = Int(self.match[w])
            if y < 0 {
                self.apply(free: (Int32(w), gain))
                return true
            }
            self.taken.append((Int32(w), gain))
            self.stack.append(self.match[w])
        }
        return false
    }

    /// Vacancy x's arcs of zero reduced cost to workers taken when the phase first asks (prices do
    /// not move within a phase, so they stay tight; the passes then walk only these): its list read
    /// once per phase down to its price or its first free worker.
    private func tightArcs(_ x: Int) -> (Int, Int) {
        if self.tightPhase[x] != self.phases {
            self.tightPhase[x] = self.phases
            self.tightStart[x] = Int32(self.tight.count)
            var position = 0
            while position < Int(self.freeCursor[x]), let bound = self.lists.bound(x, position), bound >= self.u[x] {
                let entry = self.lists.entries[x][position]
                position += 1
                let w = self.localIndex(entry.worker)
                if self.match[w] != Int32(x), self.u[x] + self.p[w] == entry.gain { self.tight.append((Int32(w), entry.gain)) }
            }
            self.tightEnd[x] = Int32(self.tight.count)
        }
        return (Int(self.tightStart[x]), Int(self.tightEnd[x]))
    }

    /// Vacancy x's first listed worker not taken, or nil when every listed worker gaining at least
    /// `floor` is taken (while the prices are feasible, a free worker gains at most x's price).
    private func firstFree(_ x: Int, atLeast floor: Gain?) -> (worker: Int, gain: Gain)? {
        while let bound = self.lists.bound(x, Int(self.freeCursor[x])), floor.map({ bound >= $0 }) ?? true,
            self.lists.ensure(x, Int(self.freeCursor[x]))
        {
            let entry = self.lists.entries[x][Int(self.freeCursor[x])]
            let w = self.localIndex(entry.worker)
            if self.match[w] < 0 { return (w, entry.gain) }
            self.freeCursor[x] += 1
        }
        return nil
    }

    /// Moves each worker on the path to the vacancy before it; the last vacancy takes `free` or
    /// leaves its slot empty.
    private func apply(free: (worker: Int32, gain: Gain)?) {
        for (i, step) in self.taken.enumerated() {
            let x = Int(self.stack[i])
            let w = Int(step.worker)
            self.filled[Int(self.match[w])] -= 1
            self.match[w] = Int32(x)
            self.matchGain[w] = step.gain
            self.filled[x] += 1
        }
        let last = Int(self.stack[self.stack.count - 1])
        if let free {
            self.match[Int(free.worker)] = Int32(last)
            self.matchGain[Int(free.worker)] = free.gain
            self.filled[last] += 1
        } else {
            self.unfilled[last] += 1
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
            guard let index = self.met(worker), self.match[index] >= 0 else { return .zero }
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
                let index = self.met(entry.worker)
                if let index, self.match[index] == Int32(v) { continue }
                if self.u[v] + price(entry.worker) < entry.gain { violations += 1 }
            }
        }
        return Certificate(optimal: violations == 0, violations: violations, pairsChecked: checked)
    }
}
