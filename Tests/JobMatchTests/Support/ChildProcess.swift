import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program started by a test (the built `jobmatch` binary), with its output in a file.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let outputPath: String

    /// The `jobmatch` executable `swift build` made next to the test bundle.
    static var jobmatchBinary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundle.appendingPathComponent("jobmatch").path,
            URL(fileURLWithPath: TestCluster.sqlDirectory).deletingLastPathComponent().appendingPathComponent(".build/debug/jobmatch").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Starts `arguments` with `environment` added to ours.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        self.outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).log").path
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "DATABASE_OWNER_URL")
        for (key, value) in environment { env[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, self.outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        self.pid = pid
    }

    /// Runs to completion; returns the exit code and output.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> (status: Int32, output: String) {
        let child = try ChildProcess(arguments, environment: environment)
        let status = try await child.wait(timeout: timeout)
        return (status, child.output)
    }

    var output: String { (try? String(contentsOfFile: self.outputPath, encoding: .utf8)) ?? "" }

    /// The output file goes with the child (a suite run starts hundreds of them).
    deinit { try? FileManager.default.removeItem(atPath: self.outputPath) }

    func signal(_ signal: Int32) { kill(self.pid, signal) }

    /// Waits for the child's exit (the kernel wakes a waiting thread of its own: no polling); kills it and
    /// throws if it outlives `timeout`.
    func wait(timeout: Duration) async throws -> Int32 {
        let pid = self.pid
        // Set, under the lock, once the child has exited but before it is reaped, so that the
        // timer never signals a process id the system may have given to another program.
        let exited = ExitFlag()
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return false }
            return exited.flag.withLock { exited in
                if !exited { kill(pid, SIGKILL) }
                return !exited
            }
        }
        // A thread of its own, never Dispatch's global queue: on Linux that pool also runs Swift's
        // tasks, and twenty children waited on at once (tests queueing for a tool's first install)
        // stopped every task in the process for minutes.
        let reaped = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            Thread.detachNewThread {
                var info = siginfo_t()
                var result: Int32
                repeat { result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) } while result == -1 && errno == EINTR
                exited.flag.withLock { $0 = true }
                // -1: already reaped by someone else (`LiveServer` looks for an early exit itself).
                guard result == 0 else { return continuation.resume(returning: nil) }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1, errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        timer.cancel()
        if await timer.value { throw POSIXError(.ETIMEDOUT) }
        guard let status = reaped else { throw POSIXError(.ECHILD) }
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}

/// Whether a child has exited (and is about to be reaped), shared by its waiter and its timer.
private final class ExitFlag: Sendable {
    let flag = Mutex(false)
}
