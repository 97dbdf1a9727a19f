/// The most slots the hard filters allow to fill, computed on its own (Kuhn's augmenting paths over
/// the same eligible pairs, ignoring priority and score), to stand next to what the batch filled.
/// Slots are first given any free eligible worker; a slot left over then searches an alternating
/// path through workers already placed. A slot with no such path can never be filled.
public enum MaximumFill {
    public static func slots(capacities: [Int], lists: CandidateLists) -> Int {
        var holder: [Int32: Int] = [:]  // worker -> vacancy
        var taken = Array(repeating: 0, count: capacities.count)
        var freeCursor = Array(repeating: 0, count: capacities.count)

        /// The next eligible worker of v not placed anywhere, if any.
        func nextFree(_ v: Int) -> Int32? {
            while lists.ensure(v, freeCursor[v]) {
                let worker = lists.entries[v][freeCursor[v]].worker
                freeCursor[v] += 1
                if holder[worker] == nil { return worker }
            }
            return nil
        }

        var total = 0
        var waiting: [Int] = []
        for v in capacities.indices {
            while taken[v] < capacities[v], let worker = nextFree(v) {
                holder[worker] = v
                taken[v] += 1
                total += 1
            }
            if taken[v] < capacities[v] { waiting.append(v) }
        }
        // Alternating paths for the slots left: v takes a placed worker whose vacancy finds another.
        var seenWorker: [Int32: Int] = [:]
        var seenVacancy = Array(repeating: -1, count: capacities.count)
        var attempt = 0
        struct Frame {
            let vacancy: Int
            var position: Int
            let via: Int32?
        }
        for v in waiting {
            while taken[v] < capacities[v] {
                attempt += 1
                var stack = [Frame(vacancy: v, position: 0, via: nil)]
                seenVacancy[v] = attempt
                var success = false
                search: while var frame = stack.last {
                    let x = frame.vacancy
                    if x != v, let worker = nextFree(x) {
                        // x takes a free worker; each vacancy on the path passes its worker back.
                        holder[worker] = x
                        var k = stack.count - 1
                        while k > 0 {
                            holder[stack[k].via!] = stack[k - 1].vacancy
                            k -= 1
                        }
                        success = true
                        break search
                    }
                    while lists.ensure(x, frame.position) {
                        let worker = lists.entries[x][frame.position].worker
                        frame.position += 1
                        stack[stack.count - 1] = frame
                        guard seenWorker[worker] != attempt, let y = holder[worker], y != x, seenVacancy[y] != attempt else { continue }
                        seenWorker[worker] = attempt
                        seenVacancy[y] = attempt
                        stack.append(Frame(vacancy: y, position: 0, via: worker))
                        continue search
                    }
                    stack.removeLast()
                }
                guard success else { break }
                taken[v] += 1
                total += 1
            }
        }
        return total
    }
}
