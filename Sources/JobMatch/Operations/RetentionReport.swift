import Logging
import PostgresNIO
import ServiceLifecycle

/// What one retention run removed.
public struct RetentionReport: Sendable, Equatable {
    public var idempotencyKeys = 0
    public var signInAttempts = 0
    public var sessions = 0
    public var importErrorFiles = 0
    public var exportFiles = 0
    /// Audit log entries that went with their month's partition.
    public var auditEntries = 0
    /// Webhook deliveries that went with their month's partition.
    public var webhookDeliveries = 0
}
