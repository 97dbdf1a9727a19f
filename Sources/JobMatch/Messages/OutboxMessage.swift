import Hummingbird

/// One message to a worker as staff see it in the outbox: the text as sent, the phone it went to
/// (masked for viewers), its state and attempts. Moments are ISO 8601 in Vietnam's time.
struct OutboxMessage: ResponseCodable, Sendable {
    let id: Int64
    let workerId: Int64
    let workerName: String
    let kind: String
    let body: String
    /// Nil once the worker was anonymised.
    let phone: String?
    let state: String
    let attempts: Int
    let lastError: String?
    let createdAt: String
    let nextAttemptAt: String?
    let sentAt: String?
    let printedAt: String?
    let printBatch: Int64?
}
