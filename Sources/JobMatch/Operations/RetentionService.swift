import Logging
import PostgresNIO
import ServiceLifecycle

/// Deletes personal data past its retention on its own, at start and then daily: expired
/// idempotency keys (they hold the names and phones of the answers they replay), sign-in attempts
/// and ended sessions, import error files, and stored export files (each deletion audited). Each
/// round also makes the monthly partitions of the audit log and the webhook deliveries ahead, and
/// drops whole expired months of them when a period is set (`sql/0030_monthly_partitions.sql`).
/// Every statement is idempotent, so two instances running it at once do no harm.
public struct RetentionService: Service {
    let client: PostgresClient
    let logger: Logger
    let config: RetentionConfig

    public init(client: PostgresClient, logger: Logger, config: RetentionConfig) {
        self.client = client
        self.logger = logger
        self.config = config
    }

    public func run() async throws {
        await PeriodicRounds.run(
            enabled: self.config.enabled,
            firstDelay: self.config.firstDelay,
            interval: self.config.interval,
            logger: self.logger,
            failure: "retention run failed"
        ) {
            let made = try await self.makePartitionsAhead()
            let report = try await self.runOnce()
            self.logger.info(
                "retention run",
                metadata: [
                    "idempotency_keys": "\(report.idempotencyKeys)", "sign_in_attempts": "\(report.signInAttempts)",
                    "sessions": "\(report.sessions)", "import_error_files": "\(report.importErrorFiles)", "export_files": "\(report.exportFiles)",
                    "audit_entries": "\(report.auditEntries)", "webhook_deliveries": "\(report.webhookDeliveries)", "partitions_made": "\(made)",
                ]
            )
        }
    }

    /// Deletes everything past its limit now; returns how much went.
    @discardableResult
    public func runOnce() async throws -> RetentionReport {
        let logger = self.logger
        // int4, as make_interval takes them.
        let (signInDays, errorFileDays) = (Int32(self.config.signInDays), RetentionConfig.importErrorFileDays)
        let exportYears = Int32(max(1, self.config.exportYears))
        var report = RetentionReport()
        report.idempotencyKeys = try await self.count("DELETE FROM idempotency_keys WHERE expires_at < now() RETURNING 1")
        report.signInAttempts = try await self.count(
            "DELETE FROM sign_in_attempts WHERE attempted_at < now() - make_interval(days => \(signInDays)) RETURNING 1"
        )
        report.sessions = try await self.count(
            "DELETE FROM staff_sessions WHERE coalesce(ended_at, expires_at) < now() - make_interval(days => \(signInDays)) RETURNING 1"
        )
        report.importErrorFiles = try await self.count(
            """
            UPDATE import_runs SET error_file = NULL
            WHERE error_file IS NOT NULL AND created_at < now() - make_interval(days => \(errorFileDays)) RETURNING 1
            """
        )
        report.exportFiles = try await self.client.withTransaction(logger: logger) { tx in
            let removed = try await tx.query(
                """
                SELECT id, month, format, sha256, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM export_files WHERE created_at < now() - make_interval(years => \(exportYears)) ORDER BY id FOR UPDATE
                """,
                logger: logger
            ).decode((Int64, String, String, String, String).self).collect()
            guard !removed.isEmpty else { return 0 }
            let ids = removed.map(\.0)
            try await tx.query("DELETE FROM export_downloads WHERE file_id = ANY(\(ids))", logger: logger)
            try await tx.query("DELETE FROM export_files WHERE id = ANY(\(ids))", logger: logger)
            for (id, month, format, checksum, created) in removed {
                try await AuditLog.record(
                    on: tx,
                    actor: nil,
                    action: "delete",
                    entity: "export_file",
                    entityID: id,
                    before: ["month": month, "format": format, "sha256": checksum, "created_at": created],
                    after: ["reason": "retention \(exportYears) years"],
                    logger: logger
                )
            }
            return removed.count
        }
        if let years = self.config.auditYears.map(Int32.init) {
            report.auditEntries = try await self.rowsDropped(
                "SELECT row_count FROM partitions_drop_before('audit_log', now() - make_interval(years => \(years)))"
            )
        }
        if let days = self.config.webhookDeliveryDays.map(Int32.init) {
            report.webhookDeliveries = try await self.rowsDropped(
                "SELECT row_count FROM partitions_drop_before('webhook_deliveries', now() - make_interval(days => \(days)))"
            )
        }
        return report
    }

    /// Makes the monthly partitions of this month and the next ones (`partitionMonthsAhead`) that
    /// are missing; returns how many it made. Rows of a month without one go to the default partition.
    @discardableResult
    public func makePartitionsAhead() async throws -> Int {
        try await self.client.query("SELECT partitions_make_ahead(\(RetentionConfig.partitionMonthsAhead))", logger: self.logger)
            .first(Int.self) ?? 0
    }

    /// Runs `partitions_drop_before` (whole months that ended before the cutoff; the function
    /// keeps the floors and audits each month dropped); returns the rows the months held.
    private func rowsDropped(_ query: PostgresQuery) async throws -> Int {
        try await self.client.query(query, logger: self.logger).decode(Int64.self).collect().reduce(0) { $0 + Int($1) }
    }

    /// Runs a statement that returns one row per row it changed; returns how many.
    private func count(_ query: PostgresQuery) async throws -> Int {
        try await self.client.query(query, logger: self.logger).collect().count
    }
}
