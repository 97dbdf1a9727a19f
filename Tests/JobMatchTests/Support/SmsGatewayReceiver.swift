import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// An SMS gateway on loopback: takes each POST to `/sms`, records it with the answer it gave, and
/// answers as the test says (`answer` gets the request's number from 1 and may wait, as a gateway
/// that hangs). Like a real gateway it keeps one text per `id`: `delivered` counts those.
final class SmsGatewayReceiver: Sendable {
    /// One request as received, with the status it was answered (or will be) with.
    struct Call: Sendable {
        let id: Int64
        let to: String
        let text: String
        let idempotencyKey: String?
        let status: Int
    }

    /// What the test makes the gateway do with request `number`.
    enum Answer: Sendable {
        case status(Int)
        /// Answers `status` only after `delay` (longer than the service waits).
        case hang(Duration, status: Int)

        var status: Int {
            switch self {
            case .status(let code), .hang(_, let code): code
            }
        }
    }

    private struct Body: Decodable {
        let to: String
        let text: String
        let id: Int64
    }

    private let recorded = Mutex<[Call]>([])

    /// Every request so far, in order.
    var calls: [Call] { self.recorded.withLock { $0 } }

    /// How many requests for each id were answered 2xx.
    var accepted: [Int64: Int] {
        self.calls.filter { (200..<300).contains($0.status) }.reduce(into: [:]) { $0[$1.id, default: 0] += 1 }
    }

    /// Runs `body` with the gateway listening on a free loopback port.
    static func run(
        answer: @escaping @Sendable (_ number: Int) -> Answer = { _ in .status(200) },
        _ body: @Sendable (_ url: String, _ gateway: SmsGatewayReceiver) async throws -> Void
    ) async throws {
        let gateway = SmsGatewayReceiver()
        let router = Router()
        router.post("sms") { request, _ -> Response in
            var request = request
            let content = try await request.collectBody(upTo: 1 << 16)
            let message = try JSONDecoder().decode(Body.self, from: Data(buffer: content))
            let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
            let reply = gateway.recorded.withLock { calls -> Answer in
                let reply = answer(calls.count + 1)
                calls.append(Call(id: message.id, to: message.to, text: message.text, idempotencyKey: key, status: reply.status))
                return reply
            }
            let status = reply.status
            if case .hang(let delay, _) = reply { try await Task.sleep(for: delay) }
            return Response(status: .init(code: status))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))/sms", gateway)
        }
    }
}
