import ArgumentParser
import Foundation
import Hummingbird
import JobMatch
import Logging
import ServiceLifecycle

/// `jobmatch serve`: the HTTP service, on the embedded database unless `DATABASE_URL` is set.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the service (HTTP on 127.0.0.1:8080 by default).")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Address to bind (env HOST, default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env PORT, default 8080).")
    var port: Int?

    func run() async throws {
        try await reportingFailures {
            var config = try await self.database.config()
            if let host { config.host = host }
            if let port { config.port = port }
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
            var logger = Logger(label: "jobmatch")
            logger.logLevel = config.logLevel
            let app = try await buildApplication(config, logger: logger)
            // SIGTERM or SIGINT: stop accepting, let requests in flight finish, exit within 30 s.
            let group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ShutdownWatchdog.arm(logger: logger)
            try await ServiceGroup(configuration: group).run()
        }
    }
}
