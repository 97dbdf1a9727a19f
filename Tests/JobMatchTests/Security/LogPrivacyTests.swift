import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import JobMatch

/// Collects log lines in memory so a test can read what the service logged.
final class LogRecorder: Sendable {
    let lines = Mutex<[String]>([])

    func handler(label: String) -> any LogHandler {
        RecordingHandler(recorder: self)
    }

    struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.recorder.lines.withLock { $0.append("\(event.message) \(all)") }
        }
    }
}

@Suite("No personal data in logs")
struct LogPrivacyTests {
    @Test("requests carrying a CCCD, phone and name leave none of them in the log")
    func noPersonalDataLogged() async throws {
        let recorder = LogRecorder()
        let database = try await TestCluster.freshDatabase()
        let url = try await TestCluster.url(database)
        let token = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await CredentialStore(client: client, logger: TestCluster.logger).addStaff(username: "clerk", role: .officer).token.value
        }
        var logger = Logger(label: "privacy", factory: recorder.handler)
        logger.logLevel = .trace
        var config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory, maxConnections: 4)
        config.databaseOwnerURL = TestCluster.ownerURL(of: url)
        config.databaseGate = .seconds(60)  // as TestApp: a busy test machine is not a database that stopped answering
        let app = try await buildApplication(config, logger: logger)
        try await app.test(.router) { client in
            var body = Sample.worker(cccd: "093190123456")
            body["phone"] = "0912345678"
            #expect(try await client.json(.post, "/api/staff/workers", token: token, body).status == .created)
            #expect(try await client.json(.post, "/api/staff/workers", token: token, body).status == .conflict)
            _ = try await client.json(.get, "/api/staff/workers?q=093190123456", token: token)
            _ = try await client.json(.get, "/api/staff/workers?q=tr%E1%BA%A7n%20th%E1%BB%8B%20b%C3%ACnh", token: token)
            _ = try await client.json(.get, "/api/staff/workers/1", token: token)
            // A referral letter's code opens its public check: it is not logged either.
            _ = try await client.execute(uri: "/letters/7K3M9QX2TB", method: .get)
        }
        let log = recorder.lines.withLock { $0.joined(separator: "\n") }
        #expect(log.contains("Request"))
        #expect(log.contains("/letters/{code}"))
        for secret in ["093190123456", "0912345678", "912345678", "Trần Thị Bình", "tr%E1%BA%A7n", "1990-05-01", token, "7K3M9QX2TB"] {
            #expect(!log.contains(secret), "\(secret) was logged")
        }
    }
}
