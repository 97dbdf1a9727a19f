import Foundation

/// A served `jobmatch` on its own embedded database with one officer, `canbo`, who holds an API
/// token and a web password: what every browser test starts from.
struct OfficerServer: Sendable {
    let home: String
    let base: String
    let token: String
    let password: String
    let server: ChildProcess
}

extension LiveServer {
    /// The officer's web password in the browser tests.
    static let officerPassword = "Lua-gao-2026"

    /// Serves `jobmatch` (settings from `environment`, given the server's base address) with the
    /// officer set up, healthy before `body` runs; the home directory is removed afterwards.
    static func withOfficer(
        _ prefix: String,
        environment extra: (String) -> [String: String] = { _ in [:] },
        _ body: (OfficerServer) async throws -> Void
    ) async throws {
        let home = LiveServer.temporaryHome(prefix)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try LiveServer.freePort()
        let base = "http://127.0.0.1:\(port)"
        let environment = LiveServer.environment(extra(base))
        let token = try await LiveServer.addStaff("canbo", home: home, environment: environment)
        try await LiveServer.setPassword("canbo", Self.officerPassword, home: home, environment: environment)
        _ = try await LiveServer.serving(home: home, port: port, environment: environment) { server in
            try await LiveServer.waitUntilHealthy(port: port, server: server)
            try await body(OfficerServer(home: home, base: base, token: token, password: Self.officerPassword, server: server))
        }
    }

    /// Keeps a browser test's picture as `docs/screenshots`-style `name` in `JOBMATCH_SCREENSHOTS`, when set.
    static func keepScreenshot(_ path: String, as name: String) throws {
        guard let directory = ProcessInfo.processInfo.environment["JOBMATCH_SCREENSHOTS"] else { return }
        let target = directory + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: path, toPath: target)
    }
}
