/// The greedy baseline the batch is compared with: the pair with the highest gain first (among the
/// pairs the batch's lists hold), while its vacancy has a slot and its worker is free.
public enum GreedyBaseline {
    public static func pairs(capacities: [Int], lists: CandidateLists) -> [(vacancy: Int, worker: Int32, gain: Gain)] {
        var all: [(vacancy: Int, worker: Int32, gain: Gain)] = []
        for v in capacities.indices { for entry in lists.entries[v] { all.append((v, entry.worker, entry.gain)) } }
        all.sort { $0.gain != $1.gain ? $0.gain > $1.gain : ($0.vacancy, $0.worker) < ($1.vacancy, $1.worker) }
        var left = capacities
        var taken = Set<Int32>()
        var chosen: [(vacancy: Int, worker: Int32, gain: Gain)] = []
        for pair in all where left[pair.vacancy] > 0 && !taken.contains(pair.worker) {
            left[pair.vacancy] -= 1
            taken.insert(pair.worker)
            chosen.append(pair)
        }
        return chosen
    }
}
