import Foundation

/// Python tools from PyPI that some tests drive (openpyxl, schemathesis, Playwright), each in its
/// own virtualenv under /tmp/jobmatch-tools, made on first use and reused after.
enum PythonTools {
    /// The virtualenv `name` with `packages` installed (pinned versions); returns its directory.
    static func virtualenv(_ name: String, packages: [String]) async throws -> String {
        let directory = "/tmp/jobmatch-tools/" + name
        if !FileManager.default.fileExists(atPath: directory + "/.installed") {
            let pins = packages.map { "'\($0)'" }.joined(separator: " ")
            let install = try await ChildProcess.run([
                "/bin/sh", "-c", "python3 -m venv '\(directory)' && '\(directory)/bin/pip' install -q \(pins) && touch '\(directory)/.installed'",
            ], timeout: .seconds(900))
            guard install.status == 0 else { throw TestFailure("could not install \(packages): \(install.output.suffix(2000))") }
        }
        return directory
    }
}
