import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Python tools from PyPI that some tests drive (openpyxl, schemathesis, Playwright), each in its
/// own virtualenv under /tmp/jobmatch-tools (or `JOBMATCH_TOOLS_DIR`, to try a first run without
/// disturbing other checkouts' tools), made on first use and reused after.
enum PythonTools {
    static let root = ProcessInfo.processInfo.environment["JOBMATCH_TOOLS_DIR"] ?? "/tmp/jobmatch-tools"

    /// The virtualenv `name` with `packages` installed (pinned versions); returns its directory.
    /// One builder at a time per virtualenv (an exclusive `flock`; tests that need the same one wait);
    /// a virtualenv without its `.installed` marker (a run killed while building it) is removed and
    /// built again, never trusted.
    static func virtualenv(_ name: String, packages: [String], root: String = PythonTools.root) async throws -> String {
        let directory = root + "/" + name
        if FileManager.default.fileExists(atPath: directory + "/.installed") { return directory }
        try await SystemPackages.ensure(command: "python3", packages: ["python3"])
        try await SystemPackages.ensure(check: "python3 -c 'import ensurepip, venv'", packages: ["python3-venv"])
        let pins = packages.map(Shell.quote).joined(separator: " ")
        let dir = Shell.quote(directory)
        let script = """
            set -e
            if [ ! -f \(dir)/.installed ]; then
                rm -rf \(dir)
                python3 -m venv \(dir)
                \(dir)/bin/pip install -q --disable-pip-version-check \(pins)
                touch \(dir)/.installed
            fi
            """
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let install = try await ChildProcess.run(["/usr/bin/flock", directory + ".lock", "/bin/sh", "-c", script], timeout: .seconds(900))
        guard install.status == 0 else { throw TestFailure("could not install \(packages): \(install.output.suffix(2000))") }
        return directory
    }
}

/// Debian packages some tests need (Chromium, fonts, python3-venv, PostgreSQL's server), installed
/// with `apt-get` on first use when the suite runs as root, one installer at a time (`flock`).
enum SystemPackages {
    static let lock = "/tmp/jobmatch-tools-apt.lock"

    /// Installs `packages` unless `command` is on the PATH.
    static func ensure(command: String, packages: [String]) async throws {
        try await self.ensure(check: "command -v \(Shell.quote(command)) >/dev/null 2>&1", packages: packages)
    }

    /// Installs `packages` unless the shell `check` succeeds; checked again under the lock, so
    /// concurrent callers install once. Not root: a clear failure naming what to install.
    static func ensure(check: String, packages: [String]) async throws {
        let quiet = check + " >/dev/null 2>&1"
        if try await ChildProcess.run(["/bin/sh", "-c", quiet]).status == 0 { return }
        guard getuid() == 0 else {
            throw TestFailure("this test needs Debian's \(packages.joined(separator: " ")): apt-get install \(packages.joined(separator: " "))")
        }
        let names = packages.map(Shell.quote).joined(separator: " ")
        let script = """
            set -e
            if ! (\(quiet)); then
                export DEBIAN_FRONTEND=noninteractive
                apt-get -o DPkg::Lock::Timeout=600 update -qq
                apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \(names)
            fi
            """
        let install = try await ChildProcess.run(["/usr/bin/flock", self.lock, "/bin/sh", "-c", script], timeout: .seconds(1500))
        guard install.status == 0, try await ChildProcess.run(["/bin/sh", "-c", quiet]).status == 0 else {
            throw TestFailure("could not install \(packages): \(install.output.suffix(2000))")
        }
    }
}

/// Quoting for the shell scripts tests run.
enum Shell {
    /// `value` as one single-quoted shell word.
    static func quote(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
