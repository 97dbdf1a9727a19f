import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Waits for graceful shutdown, then stops the embedded cluster this process started.
struct EmbeddedClusterKeeper: Service {
    let cluster: EmbeddedPostgres?

    func run() async throws {
        try? await gracefulShutdown()
        self.cluster?.stop()
    }
}
