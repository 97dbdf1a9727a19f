import ArgumentParser
import Foundation
import Hummingbird
import JobMatch
import Logging
import ServiceLifecycle

/// Bounds a graceful shutdown: if the service has not stopped 27 s after SIGTERM or SIGINT (a
/// request still waiting on a database that vanished mid-query, which no cancellation reaches), it
/// exits with status 1 so that a supervisor can restart it. A clean shutdown ends the process first.
enum ShutdownWatchdog {
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    static func arm(logger: Logger, limit: Double = 27) {
        for signal in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
                    logger.critical("Shutdown did not finish in time (requests still waiting on the database); exiting")
                    exit(1)
                }
            }
            source.resume()
            Self.sources.append(source)
        }
    }
}
