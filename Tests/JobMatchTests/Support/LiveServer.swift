import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for tests that drive the built `jobmatch serve` over real HTTP.
enum LiveServer {
    /// A `jobmatch serve` started for one test on its own embedded database, with a staff token.
    struct Running {
        let port: Int
        let token: String
        let home: String
        let environment: [String: String]
        let server: ChildProcess
        var base: String { "http://127.0.0.1:\(self.port)" }

        /// An employer (made with the staff token) and an API key for it (from the CLI).
        func employerKey() async throws -> String {
            #expect(
                try await LiveServer.http(
                    "POST",
                    self.base + "/api/staff/employers",
                    token: self.token,
                    json: #"{"name":"Công ty May Hậu Giang","tax_code":"0100109106","ward_code":"31321"}"#
                ).code == "201"
            )
            return try await ChildProcess.run(
                [ChildProcess.jobmatchBinary, "employer", "key", "1", "--home", self.home],
                environment: self.environment
            )
            .output.split(separator: "\n").last.map(String.init) ?? ""
        }
    }

    /// The environment of a test's `jobmatch serve`: the repository's SQL and web files, warnings
    /// only, and a database gate of 60 s as in `TestApp` (a test machine busy with parallel tests is
    /// not a database that stopped answering); `extra` adds or replaces.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "JOBMATCH_SQL_DIR": TestCluster.sqlDirectory, "JOBMATCH_WEB_DIR": TestCluster.repositoryRoot + "/web", "LOG_LEVEL": "warning",
            "DATABASE_GATE_SECONDS": "60",
        ].merging(extra) { $1 }
    }

    /// Runs `body` against the built `jobmatch serve` in a fresh home (staff account `username` with
    /// `role`, `extra` environment), healthy before `body` starts; stops it with SIGTERM afterwards
    /// and expects it to exit 0 (after a failure it is stopped all the same).
    static func withServer(
        prefix: String,
        username: String,
        role: String = "officer",
        extra: [String: String] = [:],
        _ body: (Running) async throws -> Void
    ) async throws {
        let home = Self.temporaryHome(prefix)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try Self.freePort()
        let environment = Self.environment(extra)
        let token = try await Self.addStaff(username, role: role, home: home, environment: environment)
        try await Self.serving(home: home, port: port, environment: environment) { server in
            try await Self.waitUntilHealthy(port: port, server: server)
            try await body(Running(port: port, token: token, home: home, environment: environment, server: server))
        }
    }

    /// Adds a staff account to `home` with the CLI; returns its API token (empty when it failed).
    static func addStaff(_ username: String, role: String = "officer", home: String, environment: [String: String]) async throws -> String {
        let added = try await ChildProcess.run(
            [ChildProcess.jobmatchBinary, "staff", "add", username, "--role", role, "--home", home],
            environment: environment
        )
        #expect(added.status == 0, "\(added.output)")
        return added.output.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Sets `username`'s web password with the CLI (read from standard input, as a clerk types it).
    static func setPassword(_ username: String, _ password: String, home: String, environment: [String: String]) async throws {
        let binary = ChildProcess.jobmatchBinary
        let set = try await ChildProcess.run(
            ["/bin/sh", "-c", "printf '%s\\n' '\(password)' | '\(binary)' staff password \(username) --home '\(home)'"],
            environment: environment
        )
        #expect(set.status == 0, "\(set.output)")
    }

    /// Runs `jobmatch serve` on `home` and `port` while `body` runs, then stops it with SIGTERM and
    /// expects it to exit 0 (after a failure it is stopped all the same); returns the server, whose
    /// output stays readable.
    @discardableResult
    static func serving(
        home: String,
        port: Int,
        environment: [String: String],
        _ body: (ChildProcess) async throws -> Void
    ) async throws -> ChildProcess {
        let server = try ChildProcess([ChildProcess.jobmatchBinary, "serve", "--home", home, "--port", "\(port)"], environment: environment)
        do {
            try await body(server)
        } catch {
            server.signal(SIGTERM)
            _ = try? await server.wait(timeout: .seconds(30))
            throw error
        }
        server.signal(SIGTERM)
        #expect(try await server.wait(timeout: .seconds(30)) == 0)
        return server
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it), for a server the
    /// test starts. A port derived from the process id could fall on one the system had just
    /// handed out for an outgoing connection.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `curl` against the running server; returns the HTTP status and body.
    static func http(_ method: String, _ url: String, token: String? = nil, json: String? = nil) async throws -> (code: String, body: String) {
        var arguments = ["/usr/bin/curl", "-s", "-X", method, "-w", "\n%{http_code}", url]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        let result = try await ChildProcess.run(arguments)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    /// Waits for `/healthz`; fails at once if the server exits.
    static func waitUntilHealthy(port: Int, server: ChildProcess) async throws {
        for _ in 0..<600 {
            if try await http("GET", "http://127.0.0.1:\(port)/healthz").code == "200" { return }
            var status: Int32 = 0
            if waitpid(server.pid, &status, WNOHANG) == server.pid {
                Issue.record("serve exited early: \(server.output)")
                throw POSIXError(.ECHILD)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw POSIXError(.ETIMEDOUT)
    }

    /// A fresh home directory for an embedded cluster.
    static func temporaryHome(_ prefix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
    }
}
