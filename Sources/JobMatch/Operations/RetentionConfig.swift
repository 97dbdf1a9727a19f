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
