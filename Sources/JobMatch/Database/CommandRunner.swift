import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion, optionally as another (unprivileged) account when we are root.
/// Uses posix_spawn and waitpid directly: Foundation's Process can miss the exit of a child
/// whose own child (the PostgreSQL server) keeps running.
struct CommandRunner: Sendable {
    /// The account to switch to with `runuser`, or nil to run as ourselves.
    let account: String?

    /// The result of one command.
    struct Outcome {
        let status: Int32
        let output: String
    }

    /// A command that could not be started at all.
    struct SpawnFailure: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot run \(self.executable): \(String(cString: strerror(self.code)))" }
    }

    /// Runs `executable` with `arguments` in `directory`, capturing stdout and stderr together.
    func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Outcome {
        // `env -C` sets the working directory (one the account can reach: initdb and pg_ctl need one).
        let command = ["/usr/bin/env", "-C", directory, executable] + arguments
        let argv: [String] = self.account.map { [Self.runuser, "-u", $0, "--"] + command } ?? command
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        environment["LANG"] = "C.UTF-8"
        let envp = environment.map { "\($0.key)=\($0.value)" }

        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("jobmatch-cmd-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var pid: pid_t = 0
        let code = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                posix_spawn(&pid, argv[0], &actions, nil, cArgv, cEnvp)
            }
        }
        guard code == 0 else { throw SpawnFailure(executable: argv[0], code: code) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exitCode: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Outcome(status: exitCode, output: String(decoding: data, as: UTF8.self))
    }

    static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/sbin/runuser"
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
