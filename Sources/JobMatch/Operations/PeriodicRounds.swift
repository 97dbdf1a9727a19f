import Logging
import ServiceLifecycle

/// The loop of the background services that work in rounds (the export schedule, retention): the
/// first round after `firstDelay`, then one every `interval` until graceful shutdown. A failed
/// round is logged by its error's type (never its text, which may quote data) and the next runs as
/// planned. Disabled, it waits for shutdown: a service that returns would stop the whole group.
enum PeriodicRounds {
    static func run(
        enabled: Bool,
        firstDelay: Duration,
        interval: Duration,
        logger: Logger,
        failure: Logger.Message,
        round: @escaping @Sendable () async throws -> Void
    ) async {
        guard enabled else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            try? await Task.sleep(for: firstDelay)
            while !Task.isCancelled {
                do {
                    try await round()
                } catch  where !Task.isCancelled {
                    logger.warning(failure, metadata: ["error": "\(String(describing: type(of: error)))"])
                } catch {
                    break
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
