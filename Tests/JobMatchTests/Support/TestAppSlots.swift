import Foundation
import Synchronization

/// How many test apps run at once. Swift Testing starts every test together; a hundred apps
/// starting at once on two cores (each a database from the template, a pool, a probe, the
/// reference catalogue, background services) took minutes to start, and their timers (the
/// database gate, lock and idle limits) then fired on a machine that was only slow. A test waits
/// for a slot before it makes its database; a test already holding one (an app inside an app's
/// test) does not wait again.
final class TestAppSlots: Sendable {
    static let shared = TestAppSlots(limit: max(8, 6 * ProcessInfo.processInfo.activeProcessorCount))

    /// Whether the current task already holds a slot.
    @TaskLocal static var holding = false

    private let state: Mutex<(free: Int, waiting: [CheckedContinuation<Void, Never>])>

    init(limit: Int) {
        self.state = Mutex((limit, []))
    }

    /// Runs `body` holding a slot (at once when the task holds one already).
    static func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if Self.holding { return try await body() }
        await Self.shared.acquire()
        defer { Self.shared.release() }
        return try await Self.$holding.withValue(true) { try await body() }
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = self.state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
