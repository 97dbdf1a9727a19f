import Logging
import PostgresNIO
import ServiceLifecycle

/// How long the retention service keeps what it deletes, and how often it looks.
public struct RetentionConfig: Sendable {
    /// Off: nothing is deleted on its own (`RETENTION=false`).
    public var enabled = true
    /// Stored export files are deleted this many years after they were made (`EXPORT_RETENTION_YEARS`;
    /// at least 1, which `sql/0026_export_retention.sql` also enforces).
    public var exportYears = 5
    /// Whole months of the audit log are dropped once they are this many years old
    /// (`AUDIT_RETENTION_YEARS`); nil, the default, keeps the audit log for ever. At least 5, which
    /// `sql/0030_monthly_partitions.sql` also enforces.
    public var auditYears: Int? = nil
    /// Whole months of webhook deliveries are dropped once they are this many days old
    /// (`WEBHOOK_DELIVERY_RETENTION_DAYS`), except a month that still holds a pending delivery;
    /// nil, the default, keeps them. At least 90, which the migration also enforces.
    public var webhookDeliveryDays: Int? = nil
    /// Monthly partitions are made this many months ahead of the current one, every round.
    static let partitionMonthsAhead: Int32 = 2
    /// Sign-in attempts and ended sessions are deleted this many days after they ended.
    public var signInDays = 90
    /// Import error files (the failed rows of a list) are emptied this many days after the import,
    /// and never offered or served past it meanwhile (`ImportPages`).
    static let importErrorFileDays: Int32 = 30
    /// How often the service runs (once at start, then daily).
    public var interval: Duration = .seconds(24 * 3600)
    /// The first run comes this long after start, once migrations have run.
    public var firstDelay: Duration = .seconds(30)

    public init() {}
}
