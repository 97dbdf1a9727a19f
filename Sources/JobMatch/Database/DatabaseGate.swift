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
final class DatabaseGate: Service, Sendable {
    /// When the database last answered, in nanoseconds of uptime.
    private let lastAnswer: Atomic<UInt64>
    let threshold: Duration
    let interval: Duration
    /// One round trip to the database; throws when it fails (it may also hang: the gate then ages).
    let probe: @Sendable () async throws -> Void
    let logger: Logger

    init(threshold: Duration = .seconds(3), interval: Duration = .milliseconds(500), logger: Logger,
         probe: @escaping @Sendable () async throws -> Void) {
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

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var wasOpen = true
            while !Task.isCancelled {
                do {
                    try await self.probe()
                    self.lastAnswer.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
                } catch {
                    if Task.isCancelled { return }
                }
                let open = self.isOpen
                if open != wasOpen {
                    if open { self.logger.notice("The database answers again") } else { self.logger.error("The database does not answer: requests get 503") }
                    wasOpen = open
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}

/// Refuses with 503 (`Retry-After`) every request that needs the database while the gate is closed;
/// liveness and the web app's static files are still served.
struct DatabaseGateMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: DatabaseGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard self.gate.isOpen || path == "/healthz" || path.hasPrefix("/static/") else {
            throw ProblemMiddleware<Context>.databaseUnavailable
        }
        return try await next(request, context)
    }
}
