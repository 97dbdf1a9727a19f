import Dispatch
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Whether the database answers, from a probe on its own one-connection pool (`SELECT 1` every
/// half second). The gate closes when the last answer is older than `threshold` (a database down,
/// frozen or unreachable) and opens at the next answer. While it is closed, requests that need the
/// database get 503 at once instead of queueing for a connection (the pool's own wait is a minute),
/// so no request hangs on a database that is gone, and the service recovers as soon as it answers.
/// Requests already waiting when it closes are answered through `whenClosed`
/// (`DatabaseDeadlineResponder`).
final class DatabaseGate: Service, Sendable {
    /// When the database last answered, in nanoseconds of uptime.
    private let lastAnswer: Atomic<UInt64>
    let threshold: Duration
    let interval: Duration
    /// One round trip to the database; throws when it fails (it may also hang: the gate then ages).
    let probe: @Sendable () async throws -> Void
    let logger: Logger
    /// What to do when the gate closes, by registration number (`whenClosed`); each runs once.
    private let closeActions = Mutex<(next: UInt64, waiting: [UInt64: @Sendable () -> Void])>((0, [:]))

    init(
        threshold: Duration = .seconds(3),
        interval: Duration = .milliseconds(500),
        logger: Logger,
        probe: @escaping @Sendable () async throws -> Void
    ) {
        self.threshold = threshold
        self.interval = interval
        self.probe = probe
        self.logger = logger
        // Open at start: the service does not accept requests before its migrations ran.
        self.lastAnswer = Atomic(DispatchTime.now().uptimeNanoseconds)
    }

    /// A gate probing `client` (a pool of its own, so that a busy main pool never looks like a dead database).
    convenience init(client: PostgresClient, threshold: Duration, logger: Logger) {
        self.init(threshold: threshold, logger: logger) {
            _ = try await client.query("SELECT 1", logger: logger).collect()
        }
    }

    var isOpen: Bool {
        let age = DispatchTime.now().uptimeNanoseconds &- self.lastAnswer.load(ordering: .relaxed)
        return Int64(bitPattern: age) < Int64(self.threshold.components.seconds) * 1_000_000_000
            + self.threshold.components.attoseconds / 1_000_000_000
    }

    /// Runs `action` once when the gate closes (within a tenth of a second of it), unless
    /// `forget` comes first; returns the number to forget it by.
    func whenClosed(_ action: @escaping @Sendable () -> Void) -> UInt64 {
        self.closeActions.withLock { state in
            state.next &+= 1
            state.waiting[state.next] = action
            return state.next
        }
    }

    func forget(_ registration: UInt64) {
        _ = self.closeActions.withLock { $0.waiting.removeValue(forKey: registration) }
    }

    func run() async throws {
        // The probe gets its full threshold from now: the gate may be made long before it runs
        // (tests run migrations first), and a stale start must not refuse the first requests.
        self.lastAnswer.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.probeUntilCancelled() }
                group.addTask { await self.watchUntilCancelled() }
            }
        }
    }

    /// Asks the database every `interval`; each answer keeps the gate open.
    private func probeUntilCancelled() async {
        while !Task.isCancelled {
            do {
                try await self.probe()
                self.lastAnswer.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            } catch {
                if Task.isCancelled { return }
            }
            try? await Task.sleep(for: self.interval)
        }
    }

    /// Looks at the gate every tenth of a second (the probe itself may be stuck on a frozen
    /// database): logs each change and, while closed, runs what waits for the closing.
    private func watchUntilCancelled() async {
        var wasOpen = true
        while !Task.isCancelled {
            let open = self.isOpen
            if open != wasOpen {
                if open {
                    self.logger.notice("The database answers again")
                } else {
                    self.logger.error("The database does not answer: requests get 503")
                }
                wasOpen = open
            }
            if !open {
                let actions = self.closeActions.withLock { state in
                    defer { state.waiting.removeAll() }
                    return Array(state.waiting.values)
                }
                for action in actions { action() }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
