import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for tests that drive the built `jobmatch serve` over real HTTP.
enum LiveServer {
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
