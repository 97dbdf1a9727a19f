import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The suite's own way of waiting for programs must not stop the process's other work.
@Suite("Test support: waiting for child processes")
struct ChildProcessTests {
    @Test("forty children waited on at once leave the tasks running: a short sleep ends while all forty still run")
    func waitingDoesNotStarveTasks() async throws {
        // setup: forty children that would run for ten minutes, each awaited as a test does
        let children = try (0..<40).map { _ in try ChildProcess(["/bin/sleep", "600"]) }
        let waits = children.map { child in Task { try await child.wait(timeout: .seconds(900)) } }
        // act: a task that needs the pool that runs tasks (a sleep resumes there)
        try await Task.sleep(for: .milliseconds(200))
        // verify: it ran while every child was still alive, so no waiter held that pool
        let alive = children.filter { child in
            var info = siginfo_t()
            return waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._kill.si_pid == 0
        }
        #expect(alive.count == 40)
        // cleanup: end them, and every waiter returns the signal's status
        children.forEach { $0.signal(SIGKILL) }
        for wait in waits { #expect(try await wait.value == 128 + SIGKILL) }
    }
}
