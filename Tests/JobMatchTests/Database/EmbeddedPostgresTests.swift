import Foundation
import Testing

@testable import JobMatch

@Suite("Embedded PostgreSQL")
struct EmbeddedPostgresTests {
    @Test("without server binaries the error says what to install or set")
    func missingBinaries() {
        #expect {
            try PostgresBinaries.locate(environment: ["PATH": "/nonexistent"], debianRoot: "/nonexistent")
        } throws: { error in
            let text = "\(error)"
            return text.contains("apt-get install postgresql") && text.contains("DATABASE_URL") && !text.contains("\n")
        }
    }

    @Test("the test cluster listens on a Unix socket only and is reused when already running")
    func socketOnlyAndReused() async throws {
        let cluster = try await TestCluster.shared.value
        #expect(FileManager.default.fileExists(atPath: cluster.socketPath))
        #expect(try cluster.isRunning())
        #expect(try cluster.start() == false)  // already running: reused, not started twice
        let listen = try await TestCluster.withClient(cluster.clientConfiguration(database: "postgres")) { client in
            try await client.query("SHOW listen_addresses").first(String.self)
        }
        #expect(listen == "")
    }

    @Test("DATABASE_URL parsing: TCP with TLS modes and Unix sockets")
    func databaseURL() throws {
        let tcp = try DatabaseURL.configuration(from: "postgres://app:s%40cret@db.example:6543/jobs?sslmode=disable")
        #expect(tcp.host == "db.example" && tcp.port == 6543 && tcp.username == "app" && tcp.password == "s@cret" && tcp.database == "jobs")
        let socket = try DatabaseURL.configuration(from: "postgres://app@localhost/jobs?host=/run/postgresql")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL.configuration(from: "mysql://x@y/z") }
        #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL.configuration(from: "postgres://x@y/z?sslmode=bogus") }
    }
}
