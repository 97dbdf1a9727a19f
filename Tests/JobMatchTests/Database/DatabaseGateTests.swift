import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import JobMatch

/// The gate that turns a database that does not answer into immediate 503s.
@Suite("Database gate")
struct DatabaseGateTests {
    /// A probe whose behaviour the test changes: answer, fail, or hang until told.
    final class Probe: Sendable {
        enum Mode: UInt8 { case answer, fail, hang }
        let mode = Atomic<UInt8>(Mode.answer.rawValue)
        func set(_ mode: Mode) { self.mode.store(mode.rawValue, ordering: .relaxed) }

        func run() async throws {
            while Mode(rawValue: self.mode.load(ordering: .relaxed)) == .hang { try await Task.sleep(for: .milliseconds(20)) }
            if Mode(rawValue: self.mode.load(ordering: .relaxed)) == .fail { throw CancellationError() }
        }
    }

    /// Handlers that wait until released, whatever happens to their task.
    final class LostQueries: Sendable {
        let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        func wait() async { await withCheckedContinuation { continuation in self.waiting.withLock { $0.append(continuation) } } }
        func release() {
            for continuation in self.waiting.withLock({ list in
                defer { list.removeAll() }
                return list
            }) { continuation.resume() }
        }
    }

    /// Waits (at most 10 s) until the gate is `open`; true when it got there.
    func waitUntil(_ gate: DatabaseGate, open: Bool) async throws -> Bool {
        for _ in 0..<500 {
            if gate.isOpen == open { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test("closes when the database fails or stops answering, opens again at its next answer")
    func closesAndOpens() async throws {
        let probe = Probe()
        let gate = DatabaseGate(threshold: .milliseconds(300), interval: .milliseconds(20), logger: TestCluster.logger) { try await probe.run() }
        let running = Task { try await gate.run() }
        defer { running.cancel() }
        #expect(gate.isOpen)
        probe.set(.fail)
        #expect(try await waitUntil(gate, open: false), "a database refusing connections closes the gate")
        probe.set(.answer)
        #expect(try await waitUntil(gate, open: true), "its next answer opens it")
        probe.set(.hang)
        #expect(try await waitUntil(gate, open: false), "a database that hangs (frozen, packets dropped) closes it too")
        probe.set(.answer)
        #expect(try await waitUntil(gate, open: true))
    }

    @Test("while closed, requests get 503 with Retry-After at once; liveness and static files still answer")
    func refusesWhileClosed() async throws {
        for open in [false, true] {
            let gate = DatabaseGate(threshold: open ? .seconds(60) : .zero, logger: TestCluster.logger) {}
            let router = Router(context: AppRequestContext.self)
            router.add(middleware: ProblemMiddleware())
            router.add(middleware: DatabaseGateMiddleware(gate: gate))
            router.get("healthz") { _, _ in "alive" }
            router.get("static/app.css") { _, _ in "css" }
            router.get("api/staff/progress") { _, _ in "figures" }
            try await Application(router: router).test(.router) { client in
                let refused = try await client.execute(uri: "/api/staff/progress", method: .get)
                if open {
                    #expect(refused.status == .ok && String(buffer: refused.body) == "figures")
                } else {
                    #expect(refused.status == .serviceUnavailable && refused.headers[.retryAfter] == "5")
                    #expect(
                        refused.headers[.contentType] == "application/problem+json" && String(buffer: refused.body).contains("database-unavailable")
                    )
                }
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/static/app.css", method: .get).status == .ok)
            }
        }
    }

    @Test("a request caught waiting on the database when the gate closes gets 503 then; others pass through whole")
    func answersRequestsCaughtWaiting() async throws {
        let probe = Probe()
        // A threshold of 2 s: a loaded test run can leave the probe's task unscheduled for a few hundred
        // milliseconds, which must not close the gate before the test closes it on purpose.
        let gate = DatabaseGate(threshold: .seconds(2), interval: .milliseconds(20), logger: TestCluster.logger) { try await probe.run() }
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: DatabaseGateMiddleware(gate: gate))
        // What PostgresNIO does to a query written to a connection that just closed: never answers, ignores cancellation.
        let lostQueries = LostQueries()
        defer { lostQueries.release() }
        router.get("api/staff/lost") { _, _ -> String in
            await lostQueries.wait()
            return "too late"
        }
        router.post("api/staff/echo") { request, _ -> String in String(buffer: try await request.body.collect(upTo: 1 << 20)) }
        let app = Application(responder: DatabaseDeadlineResponder(routes: router.buildResponder(), gate: gate), services: [gate])
        try await app.test(.live) { client in
            #expect(try await waitUntil(gate, open: true))
            let echoed = try await client.execute(uri: "/api/staff/echo", method: .post, body: ByteBuffer(string: "Nguyễn Thị Hoa"))
            #expect(echoed.status == .ok && String(buffer: echoed.body) == "Nguyễn Thị Hoa", "a body reaches the handler whole")
            let answer = try await withThrowingTaskGroup(of: TestResponse?.self) { group in
                group.addTask { try await client.execute(uri: "/api/staff/lost", method: .get) }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(200))
                    probe.set(.fail)
                    try await Task.sleep(for: .seconds(5))
                    lostQueries.release()  // too late: let the handler end so that the test ends and fails
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            let refused = try #require(answer, "answered once the gate closed, not left waiting on the lost query")
            #expect(refused.status == .serviceUnavailable && refused.headers[.retryAfter] == "5")
            #expect(refused.headers[.contentType] == "application/problem+json" && String(buffer: refused.body).contains("database-unavailable"))
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .notFound, "the service itself still answers")
            probe.set(.answer)
            #expect(try await waitUntil(gate, open: true))
            #expect(try await client.execute(uri: "/api/staff/echo", method: .post, body: ByteBuffer(string: "lại")).status == .ok)
        }
    }
}
