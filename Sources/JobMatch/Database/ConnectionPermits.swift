import Hummingbird
import Synchronization

/// A counted share of the connection pool: at most `limit` holders at once, the others waiting in
/// turn, each for at most the deadline it gives. PostgresNIO queues a lease without a deadline, so the
/// service bounds the wait here, in front of the pool, where a request can still be answered.
final class ConnectionPermits: Sendable {
    let limit: Int
    private let state = Mutex<
        (held: Int, next: UInt64, waiting: [(id: UInt64, waiter: CheckedContinuation<Bool, Never>)], abandoned: Set<UInt64>, pending: Set<UInt64>)
    >(
        (0, 0, [], [], [])
    )

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a permit if one is free now; never waits.
    func tryAcquire() -> Bool {
        self.state.withLock { state in
            guard state.held < self.limit, state.waiting.isEmpty else { return false }
            state.held += 1
            return true
        }
    }

    /// Takes a permit, waiting at most `deadline`; false when it passed (or the task was cancelled) first.
    func acquire(within deadline: Duration) async -> Bool {
        if self.tryAcquire() { return true }
        let id = self.state.withLock { state in
            state.next &+= 1
            state.pending.insert(state.next)
            return state.next
        }
        let timer = Task {
            if (try? await Task.sleep(for: deadline)) != nil { self.giveUp(id) }
        }
        defer {
            timer.cancel()
            self.state.withLock { state in
                state.pending.remove(id)
                state.abandoned.remove(id)
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer = self.state.withLock { state -> Bool? in
                    // The deadline or a cancellation may have come before this waiter was queued.
                    if state.abandoned.remove(id) != nil { return false }
                    if state.held < self.limit && state.waiting.isEmpty {
                        state.held += 1
                        return true
                    }
                    state.waiting.append((id, continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            self.giveUp(id)
        }
    }

    /// Returns a permit: the longest waiter gets it, else it is free again.
    func release() {
        let next = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiting.isEmpty {
                state.held -= 1
                return nil
            }
            return state.waiting.removeFirst().waiter
        }
        next?.resume(returning: true)
    }

    /// Ends waiter `id`'s wait without a permit, if it is still waiting.
    private func giveUp(_ id: UInt64) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let index = state.waiting.firstIndex(where: { $0.id == id }) else {
                if state.pending.contains(id) { state.abandoned.insert(id) }  // not queued yet, or already granted
                return nil
            }
            return state.waiting.remove(at: index).waiter
        }
        waiter?.resume(returning: false)
    }
}
