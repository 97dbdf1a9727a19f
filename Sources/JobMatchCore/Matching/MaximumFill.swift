/// The most slots the hard filters allow to fill, computed on its own (Kuhn's augmenting paths over
/// the same eligible pairs, ignoring priority and score), to stand next to what the batch filled.
/// Slots are first given any free eligible worker; a slot left over then searches an alternating
/// path through workers already placed. A slot with no such path can never be filled.
public enum MaximumFill {
    public static func slots(capacities: [Int], lists: CandidateLists) -> Int {
        // By worker (a table slot): the vacancy holding them (-1: none), and the attempt that met them.
        var holderOf: [Int32] = []
        var seenOf: [Int32] = []
        func grow(_ worker: Int32) {
            let needed = Int(worker) + 1
            guard needed > holderOf.count else { return }
            let more = max(needed, holderOf.count * 2) - holderOf.count
            holderOf.append(contentsOf: repeatElement(-1, count: more))
            seenOf.append(contentsOf: repeatElement(0, count: more))
        }
        func holder(_ worker: Int32) -> Int? {
            Int(worker) < holderOf.count && holderOf[Int(worker)] >= 0 ? Int(holderOf[Int(worker)]) : nil
        }
        func hold(_ worker: Int32, _ vacancy: Int) {
            grow(worker)
            holderOf[Int(worker)] = Int32(vacancy)
        }
        var taken = Array(repeating: 0, count: capacities.count)
        var freeCursor = Array(repeating: 0, count: capacities.count)

        /// The next eligible worker of v not placed anywhere, if any.
        func nextFree(_ v: Int) -> Int32? {
            while lists.ensure(v, freeCursor[v]) {
                let worker = lists.entries[v][freeCursor[v]].worker
                freeCursor[v] += 1
                if holder(worker) == nil { return worker }
            }
            return nil
        }

        var total = 0
        var waiting: [Int] = []
        for v in capacities.indices {
            while taken[v] < capacities[v], let worker = nextFree(v) {
                hold(worker, v)
                taken[v] += 1
                total += 1
            }
            if taken[v] < capacities[v] { waiting.append(v) }
        }
        // Alternating paths for the slots left: v takes a placed worker whose vacancy finds another.
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
                        hold(worker, x)
                        var k = stack.count - 1
                        while k > 0 {
                            hold(stack[k].via!, stack[k - 1].vacancy)
                            k -= 1
                        }
                        success = true
                        break search
                    }
                    while lists.ensure(x, frame.position) {
                        let worker = lists.entries[x][frame.position].worker
                        frame.position += 1
                        stack[stack.count - 1] = frame
                        guard let y = holder(worker), seenOf[Int(worker)] != Int32(attempt), y != x, seenVacancy[y] != attempt else { continue }
                        seenOf[Int(worker)] = Int32(attempt)
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
