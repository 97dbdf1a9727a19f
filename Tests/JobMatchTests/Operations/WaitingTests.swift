import Foundation
import Testing

@testable import JobMatch

/// The waits the tests use instead of sleeping and looking again: they end on the event, and fail
/// (rather than pass quietly) when it never comes.
@Suite("Test tools: waiting on events")
struct WaitingTests {
    @Test("a wait ends with the event's result, or fails naming what never came")
    func within() async throws {
        // setup
        let (events, arrived) = AsyncStream.makeStream(of: Int.self)

        // act
        arrived.yield(7)
        let value = try await JobMatchTests.within(.seconds(30), "an event") {
            for await event in events { return event }
            return -1
        }

        // verify
        #expect(value == 7)
        let (silence, kept) = AsyncStream.makeStream(of: Int.self)
        await #expect(throws: TestFailure.self) {
            try await JobMatchTests.within(.milliseconds(50), "an event that never comes") {
                for await event in silence { return event }
                return -1
            }
        }
        kept.finish()
    }

    @Test("a child's exit is awaited: its code, a signal as 128 + its number, and a child past its time is killed and reported")
    func childExit() async throws {
        #expect(try await ChildProcess.run(["/bin/sh", "-c", "exit 3"]).status == 3)
        #expect(try await ChildProcess.run(["/bin/sh", "-c", "kill -KILL $$"]).status == 128 + 9)
        let started = ContinuousClock.now
        let sleeper = try ChildProcess(["/bin/sleep", "600"])
        await #expect(throws: POSIXError.self) { try await sleeper.wait(timeout: .milliseconds(300)) }
        #expect(ContinuousClock.now - started < .seconds(60), "killed at its deadline, not waited for")
    }

    @Test("a wait on a table ends when a write makes its condition true, and fails when none does")
    func tableChanges() async throws {
        try await withTestApp { _, _, url in
            // setup
            let writer = Task {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: TestCluster.ownerURL(of: url))) { owner in
                    try await owner.query("INSERT INTO staff_users (username, role) VALUES ('waiting', 'viewer')", logger: TestCluster.logger)
                }
            }

            // act, verify
            try await TableChanges.wait(url: url, table: "staff_users", until: "SELECT EXISTS (SELECT 1 FROM staff_users WHERE username = 'waiting')")
            try await writer.value
            await #expect(throws: TestFailure.self) {
                try await TableChanges.wait(url: url, table: "staff_users", until: "SELECT false", within: .milliseconds(500))
            }
        }
    }
}
