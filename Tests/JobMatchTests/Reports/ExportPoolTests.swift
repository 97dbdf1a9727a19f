import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

#if canImport(Glibc)
import Glibc
#endif

/// Slow downloads cannot take the connection pool: exports are bounded (429 past the bound) and the
/// rest of the service keeps answering while stalled clients hold theirs open.
@Suite("Exports and the connection pool")
struct ExportPoolTests {
    /// A client that sends one GET, reads the first bytes of the answer, then stops reading (its
    /// receive buffer is tiny, so the server soon cannot write more), until `close`.
    final class SlowReader: @unchecked Sendable {
        let descriptor: Int32

        init(port: Int, path: String, token: String) throws {
            self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var size: Int32 = 4096
            setsockopt(self.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw TestFailure("connect failed") }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)
            guard send(self.descriptor, request, request.count, 0) == request.count else { throw TestFailure("send failed") }
        }

        /// The first bytes of the answer (blocks a thread of its own until they come: never one of
        /// the pool that runs Swift's tasks).
        func firstBytes() async -> String {
            let descriptor = self.descriptor
            return await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 64)
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    continuation.resume(returning: String(decoding: buffer.prefix(max(0, count)), as: UTF8.self))
                }
            }
        }

        func close() {
            _ = Glibc.close(self.descriptor)
        }
    }

    @Test("two stalled downloads hold the exports' share; a third gets 429 with Retry-After while progress and worker search still answer")
    func slowReaders() async throws {
        try await withTestApp(
            mode: .live,
            configure: { config in
                config.maxConnections = 8
                config.maxConcurrentExports = 2
                config.connectionWait = .seconds(30)
            }
        ) { client, tokens, url in
            // setup: a period with tens of thousands of counted placements (megabytes of CSV)
            try await execute(
                """
                INSERT INTO workers (full_name, birth_date, sex, ward_code)
                    SELECT 'Người lao động ' || g, DATE '1990-01-01', 'female', '31321' FROM generate_series(1, 30000) g;
                INSERT INTO placements (worker_id, channel, start_date, evidence, recorded_at)
                    SELECT id, 'independent', DATE '2022-03-01', 'Biên bản', TIMESTAMPTZ '2022-03-02 08:00+07' FROM workers;
                ANALYZE workers;
                ANALYZE placements;
                """,
                url: TestCluster.ownerURL(of: url)
            )  // ANALYZE is the tables' owner's
            let port = try #require(client.port)
            let path = "/api/staff/exports/placements?period=2021-2025&format=csv"

            // act: two clients start downloads and stop reading
            let readers = try (0..<2).map { _ in try SlowReader(port: port, path: path, token: tokens.officer) }
            defer { readers.forEach { $0.close() } }
            for reader in readers {
                #expect(await reader.firstBytes().hasPrefix("HTTP/1.1 200"))
            }

            // verify: a third export waits for nothing and is told when to come back
            let third = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(tokens.officer)"])
            #expect(third.status == .tooManyRequests)
            #expect(third.headers[.retryAfter] != nil)
            #expect(third.problem?._type == "urn:jobmatch:problem:too-many-exports")
            // ... and the rest of the service answers
            #expect(try await client.json(.get, "/api/staff/progress", token: tokens.viewer).status == .ok)
            #expect(try await client.json(.get, "/api/staff/workers?q=nguoi", token: tokens.viewer).status == .ok)
        }
    }

    @Test("a request that cannot get its share of the pool in time gets 503 with Retry-After, not a hang")
    func boundedWait() async throws {
        let permits = ConnectionPermits(limit: 1)
        #expect(permits.tryAcquire())
        // setup: the only permit is held; act: a second waiter with a short deadline
        let granted = await permits.acquire(within: .milliseconds(200))
        // verify: it gave up; once the permit is back, the next one gets it at once
        #expect(!granted)
        permits.release()
        #expect(await permits.acquire(within: .seconds(60)))
        permits.release()
    }

    @Test("a statement stopped by the session's statement_timeout answers 503 database-busy, not 500")
    func statementTimeout() async throws {
        try await withTestApp(configure: { config in
            config.sessionTimeouts.statement = .milliseconds(200)
            config.sessionTimeouts.lock = .milliseconds(200)
        }) { client, tokens, url in
            // setup: a lock that an officer's write would wait for
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pool in
                try await pool.withTransaction(logger: TestCluster.logger) { tx in
                    // Without the service's limits the write would wait until this transaction ends: let
                    // the server end it (idle) after a while, so that the test fails rather than hangs.
                    try await tx.query("SET LOCAL idle_in_transaction_session_timeout = '150s'", logger: TestCluster.logger)
                    try await tx.query("LOCK TABLE households IN ACCESS EXCLUSIVE MODE", logger: TestCluster.logger)
                    // act
                    let response = try await client.send(.post, "/api/staff/households", token: tokens.officer, Sample.household())
                    // verify
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.problem?._type == "urn:jobmatch:problem:database-busy")
                }
            }
        }
    }
}
