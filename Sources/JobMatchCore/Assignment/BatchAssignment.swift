/// Assigns workers to vacancies at once: each worker to at most one vacancy, each vacancy up to its
/// open slots, maximising the total weight of the chosen (vacancy, worker) pairs. Solved exactly as
/// a minimum-cost flow (source -> vacancy -> worker -> sink, cost = -weight) by the primal-dual
/// method: Dijkstra on reduced costs to find the shortest augmenting paths, then a blocking flow
/// of all of them (Dinic) before the next Dijkstra, stopping when no path has negative cost.
/// The same input always gives the same answer (fixed orders, no randomness).
public enum BatchAssignment {
    public struct Pair: Equatable, Hashable, Sendable {
        public let vacancy: Int
        public let worker: Int
        public let weight: Int64

        public init(vacancy: Int, worker: Int, weight: Int64) {
            self.vacancy = vacancy
            self.worker = worker
            self.weight = weight
        }
    }

    /// The optimal assignment (pairs in the input's order of vacancies, then workers).
    /// `capacities[v]` is vacancy v's open slots; pairs name vacancies and workers by index.
    public static func optimal(capacities: [Int], workerCount: Int, pairs: [Pair]) -> [Pair] {
        var graph = FlowGraph(capacities: capacities, workerCount: workerCount, pairs: pairs)
        graph.run()
        return graph.chosen().sorted { ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
    }

    /// The greedy baseline: the heaviest pair first while slots and workers remain.
    public static func greedy(capacities: [Int], workerCount: Int, pairs: [Pair]) -> [Pair] {
        var left = capacities
        var taken = [Bool](repeating: false, count: workerCount)
        var chosen: [Pair] = []
        for pair in pairs.enumerated().sorted(by: { ($1.element.weight, $0.offset) < ($0.element.weight, $1.offset) }).map(\.element)
        where pair.weight > 0 && left[pair.vacancy] > 0 && !taken[pair.worker] {
            left[pair.vacancy] -= 1
            taken[pair.worker] = true
            chosen.append(pair)
        }
        return chosen.sorted { ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
    }

    public static func total(_ pairs: [Pair]) -> Int64 { pairs.reduce(0) { $0 + $1.weight } }
}

/// The residual network of the assignment and the primal-dual algorithm on it.
struct FlowGraph {
    var to: [Int] = []
    var capacity: [Int] = []
    var cost: [Int64] = []
    var head: [Int]
    var next: [Int] = []
    var potential: [Int64]
    let source: Int
    let sink: Int
    let vacancyCount: Int
    /// Edge index of each pair's vacancy -> worker edge.
    var pairEdges: [(edge: Int, pair: BatchAssignment.Pair)] = []

    init(capacities: [Int], workerCount: Int, pairs: [BatchAssignment.Pair]) {
        self.vacancyCount = capacities.count
        let nodes = capacities.count + workerCount + 2
        self.source = nodes - 2
        self.sink = nodes - 1
        self.head = [Int](repeating: -1, count: nodes)
        self.potential = [Int64](repeating: 0, count: nodes)
        for (v, slots) in capacities.enumerated() where slots > 0 { self.add(self.source, v, slots, 0) }
        var hasPair = [Bool](repeating: false, count: workerCount)
        for pair in pairs where pair.weight > 0 && capacities[pair.vacancy] > 0 {
            self.pairEdges.append((self.add(pair.vacancy, capacities.count + pair.worker, 1, -pair.weight), pair))
            hasPair[pair.worker] = true
        }
        for w in 0..<workerCount where hasPair[w] { self.add(capacities.count + w, self.sink, 1, 0) }
        // Potentials for the first Dijkstra (the network is a DAG: source, vacancies, workers, sink).
        for (edge, pair) in self.pairEdges {
            let w = self.to[edge]
            self.potential[w] = min(self.potential[w], -pair.weight)
        }
        self.potential[self.sink] = self.potential[capacities.count..<(capacities.count + workerCount)].min() ?? 0
    }

    @discardableResult
    mutating func add(_ from: Int, _ to: Int, _ capacity: Int, _ cost: Int64) -> Int {
        let index = self.to.count
        self.to.append(to); self.capacity.append(capacity); self.cost.append(cost); self.next.append(self.head[from]); self.head[from] = index
        self.to.append(from); self.capacity.append(0); self.cost.append(-cost); self.next.append(self.head[to]); self.head[to] = index + 1
        return index
    }

    func reducedCost(_ edge: Int, from: Int) -> Int64 { self.cost[edge] + self.potential[from] - self.potential[self.to[edge]] }

    mutating func run() {
        let nodes = self.head.count
        while true {
            // Shortest distances on reduced costs (all >= 0).
            var distance = [Int64](repeating: .max, count: nodes)
            distance[self.source] = 0
            var heap = MinHeap()
            heap.push(0, self.source)
            while let (d, u) = heap.pop() {
                guard d == distance[u] else { continue }
                var e = self.head[u]
                while e >= 0 {
                    if self.capacity[e] > 0 {
                        let v = self.to[e]
                        let candidate = d + self.reducedCost(e, from: u)
                        if candidate < distance[v] {
                            distance[v] = candidate
                            heap.push(candidate, v)
                        }
                    }
                    e = self.next[e]
                }
            }
            guard distance[self.sink] != .max else { return }
            let farthest = distance.filter { $0 != .max }.max() ?? 0
            for v in 0..<nodes { self.potential[v] += distance[v] == .max ? farthest : distance[v] }
            // Every shortest path now costs potential[sink] - potential[source]; stop when that no longer gains.
            guard self.potential[self.sink] - self.potential[self.source] < 0 else { return }
            self.blockingFlows()
        }
    }

    /// Augments along shortest paths (edges of zero reduced cost) until none is left: BFS levels,
    /// then depth-first search with a current-edge pointer per node (Dinic).
    mutating func blockingFlows() {
        let nodes = self.head.count
        while true {
            var level = [Int](repeating: -1, count: nodes)
            level[self.source] = 0
            var queue = [self.source]
            var index = 0
            while index < queue.count {
                let u = queue[index]
                index += 1
                var e = self.head[u]
                while e >= 0 {
                    let v = self.to[e]
                    if self.capacity[e] > 0, level[v] < 0, self.reducedCost(e, from: u) == 0 {
                        level[v] = level[u] + 1
                        queue.append(v)
                    }
                    e = self.next[e]
                }
            }
            guard level[self.sink] >= 0 else { return }
            var current = self.head
            while self.augment(level: level, current: &current) {}
        }
    }

    /// One augmenting path of one unit in the level graph (all capacities on it are at least 1).
    mutating func augment(level: [Int], current: inout [Int]) -> Bool {
        var path: [Int] = []
        var u = self.source
        while u != self.sink {
            var advanced = false
            while current[u] >= 0 {
                let e = current[u]
                let v = self.to[e]
                if self.capacity[e] > 0, level[v] == level[u] + 1, self.reducedCost(e, from: u) == 0 {
                    path.append(e)
                    u = v
                    advanced = true
                    break
                }
                current[u] = self.next[e]
            }
            if !advanced {
                guard let last = path.popLast() else { return false }
                u = self.to[last ^ 1]
                current[u] = self.next[current[u]]
            }
        }
        for e in path {
            self.capacity[e] -= 1
            self.capacity[e ^ 1] += 1
        }
        return true
    }

    func chosen() -> [BatchAssignment.Pair] {
        self.pairEdges.filter { self.capacity[$0.edge] == 0 }.map(\.pair)
    }
}

/// A binary min-heap of (key, node), ties broken by node for a deterministic order.
struct MinHeap {
    private var items: [(Int64, Int)] = []

    mutating func push(_ key: Int64, _ node: Int) {
        self.items.append((key, node))
        var i = self.items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard self.items[i] < self.items[parent] else { break }
            self.items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int64, Int)? {
        guard let first = self.items.first else { return nil }
        let last = self.items.removeLast()
        if !self.items.isEmpty {
            self.items[0] = last
            var i = 0
            while true {
                let (l, r) = (2 * i + 1, 2 * i + 2)
                var smallest = i
                if l < self.items.count, self.items[l] < self.items[smallest] { smallest = l }
                if r < self.items.count, self.items[r] < self.items[smallest] { smallest = r }
                guard smallest != i else { break }
                self.items.swapAt(i, smallest)
                i = smallest
            }
        }
        return first
    }
}
