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
}
