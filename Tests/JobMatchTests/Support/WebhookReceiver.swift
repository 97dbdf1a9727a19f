import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// An employer's webhook endpoint on loopback: answers each POST to `/hook` (and `/inside`, a
/// second target for redirects) as told, records it, and wakes a test waiting for it.
final class WebhookReceiver: Sendable {
    /// One call as received.
    struct Call: Sendable {
        let path: String
        let headers: [String: String]
        let body: String
    }

    private let recorded = Mutex<[Call]>([])
    private let arrivals: AsyncStream<Int>
    private let arrived: AsyncStream<Int>.Continuation

    private init() {
        (self.arrivals, self.arrived) = AsyncStream.makeStream(of: Int.self)
    }

    /// Every call so far, in order.
    var calls: [Call] { self.recorded.withLock { $0 } }

    /// The calls once at least `count` have arrived; `TestFailure` after `timeout`.
    func calls(_ count: Int, within timeout: Duration = .seconds(30)) async throws -> [Call] {
        try await within(timeout, "\(count) webhook calls") {
            if self.calls.count >= count { return self.calls }
            for await arrivedCount in self.arrivals where arrivedCount >= count { break }
            return self.calls
        }
    }

    private func record(_ call: Call) -> Int {
        let count = self.recorded.withLock { calls in
            calls.append(call)
            return calls.count
        }
        self.arrived.yield(count)
        return count
    }

    /// Runs `body` with a receiver listening on a free loopback port; `answer` gets the call's
    /// number (from 1) and path and says how to reply.
    static func run(
        answer: @escaping @Sendable (_ number: Int, _ path: String) -> Response = { _, _ in Response(status: .noContent) },
        _ body: @Sendable (_ port: Int, _ receiver: WebhookReceiver) async throws -> Void
    ) async throws {
        let receiver = WebhookReceiver()
        let router = Router()
        for path in ["hook", "inside"] {
            router.post(RouterPath(path)) { request, _ -> Response in
                var request = request
                let content = try await request.collectBody(upTo: 1 << 16)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let number = receiver.record(Call(path: "/" + path, headers: headers, body: String(buffer: content)))
                return answer(number, "/" + path)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try #require(client.port), receiver)
        }
    }
}
