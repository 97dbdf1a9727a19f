/// The greedy baseline the batch is compared with: the pair with the highest gain first (among the
/// pairs the batch's lists hold; ties by vacancy, then worker), while its vacancy has a slot and its
/// worker is free.
public enum GreedyBaseline {
    /// A pair as one sort key: `rank` orders by gain (priority, then score; higher first), `at` by
    /// vacancy then worker (lower first). Sorting these 16 bytes instead of the pairs themselves took
    /// the sort of 6.2 million pairs from about 2 s to a fraction of it.
    struct Key {
        let rank: UInt64
        let at: UInt64

        init(vacancy: Int, worker: Int32, gain: Gain) {
            // One proposal's gain: high is 2^32 plus the priority flag, low the score (|score| < 2^62).
            let priority: UInt64 = gain.high > (1 << 32) ? 1 << 63 : 0
            self.rank = priority | UInt64(gain.low + (1 << 62))
            self.at = UInt64(vacancy) << 32 | UInt64(UInt32(bitPattern: worker))
        }

        var vacancy: Int { Int(self.at >> 32) }
        var worker: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: self.at)) }
        var gain: Gain { Gain(priority: self.rank >> 63 == 1, score: Int(Int64(self.rank & ~(1 << 63)) - (1 << 62))) }
    }

    public static func pairs(capacities: [Int], lists: CandidateLists) -> [(vacancy: Int, worker: Int32, gain: Gain)] {
        var keys: [Key] = []
        keys.reserveCapacity(capacities.indices.reduce(0) { $0 + lists.entries[$1].count })
        var workers = 0
        for v in capacities.indices {
            for entry in lists.entries[v] {
                keys.append(Key(vacancy: v, worker: entry.worker, gain: entry.gain))
                workers = max(workers, Int(entry.worker) + 1)
            }
        }
        keys.sort { $0.rank != $1.rank ? $0.rank > $1.rank : $0.at < $1.at }
        var left = capacities
        var taken = [Bool](repeating: false, count: workers)
        var chosen: [(vacancy: Int, worker: Int32, gain: Gain)] = []
        for key in keys {
            let (v, w) = (key.vacancy, Int(key.worker))
            guard left[v] > 0, !taken[w] else { continue }
            left[v] -= 1
            taken[w] = true
            chosen.append((v, key.worker, key.gain))
        }
        return chosen
    }
}
