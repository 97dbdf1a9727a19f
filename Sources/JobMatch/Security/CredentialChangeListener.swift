import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Keeps a connection listening for `jobmatch_credentials_changed` and empties the cache on every
/// notification; reconnects after a failure, with the cache off until it listens again.
struct CredentialChangeListener: Service {
    static let channel = "jobmatch_credentials_changed"
    let client: PostgresClient
    let cache: CredentialCache
    let logger: Logger
    var retryAfter: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in
                        let notifications = try await connection.listen(Self.channel)
                        // The trigger comes with a migration; until it exists a change would go unheard.
                        let ready =
                            try await connection.query("SELECT to_regproc('notify_credentials_changed') IS NOT NULL", logger: self.logger)
                            .first(Bool.self) ?? false
                        guard ready else { return }
                        self.cache.setListening(true)
                        defer { self.cache.setListening(false) }
                        for try await _ in notifications { self.cache.clear() }
                    }
                } catch  where !Task.isCancelled {
                    self.logger.warning("credential change listener stopped", metadata: ["error": "\(String(describing: type(of: error)))"])
                } catch {
                    break
                }
                self.cache.setListening(false)
                try? await Task.sleep(for: self.retryAfter)
            }
        }
        self.cache.setListening(false)
    }
}
