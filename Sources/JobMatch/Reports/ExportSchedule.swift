import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// When the service makes the monthly placement files on its own.
public struct ExportScheduleConfig: Sendable {
    /// Off: no file is made unless asked for.
    public var enabled = true
    /// The day of the month (1-28) from which last month's files are due.
    public var day = 1
    public var formats: [TableFormat] = [.xlsx, .csv]
    /// How often the service looks for a due file.
    public var interval: Duration = .seconds(600)
    /// The first look comes this long after start, once migrations have run.
    public var firstDelay: Duration = .seconds(60)

    public init() {}
}

/// Makes last month's placement export on the configured day of each month, and any month missed
/// while the service was down (up to a year back), each file once in each format, however many
/// instances run: a session advisory lock lets one instance work, and a unique index refuses a
/// second file. Each file is the month as it stood at its last day (so the CLI's `--as-of` with
/// that day gives the same bytes), CCCD masked, kept with its SHA-256.
public struct ExportScheduler: Service {
    let client: PostgresClient
    let logger: Logger
    let config: ExportScheduleConfig
    let clock: @Sendable () -> Date

    public init(client: PostgresClient, logger: Logger, config: ExportScheduleConfig, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.logger = logger
        self.config = config
        self.clock = clock
    }

    public func run() async throws {
        await PeriodicRounds.run(
            enabled: self.config.enabled,
            firstDelay: self.config.firstDelay,
            interval: self.config.interval,
            logger: self.logger,
            failure: "scheduled export round failed"
        ) {
            _ = try await self.runDue()
        }
    }

    /// The latest month whose file is due on `today`.
    func dueMonth(today: LocalDate) -> Month {
        var month = Month(index: today.year * 12 + today.month - 1).previous
        if today.day < self.config.day { month = month.previous }
        return month
    }

    /// Makes every file due by the clock's now that is not stored yet; returns the ids stored.
    @discardableResult
    public func runDue() async throws -> [Int64] {
        let today = LocalDate.today(now: self.clock())
        let due = self.dueMonth(today: today)
        let client = self.client
        return try await client.withConnection { connection in
            // 7,415,289: this job's advisory lock key.
            guard try await connection.query("SELECT pg_try_advisory_lock(7415289)", logger: self.logger).first(Bool.self) == true
            else { return [] }
            do {
                let stored = try await self.makeMissing(through: due, today: today, on: connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(7415289)", logger: self.logger)
                return stored
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(7415289)", logger: self.logger)
                throw error
            }
        }
    }

    /// The months from the one after the latest scheduled file (or just `due` when there is none,
    /// and never more than twelve) through `due`, each format not stored yet.
    private func makeMissing(through due: Month, today: LocalDate, on connection: PostgresConnection) async throws -> [Int64] {
        let latest =
            try await connection.query(
                "SELECT max(month) FROM export_files WHERE kind = 'placements_month' AND scheduled",
                logger: self.logger
            ).first(String?.self) ?? nil
        var month = latest.flatMap { Month($0)?.next } ?? due
        if month.index < due.index - 11 { month = Month(index: due.index - 11) }
        var stored: [Int64] = []
        while month.index <= due.index {
            for format in self.config.formats {
                let exists =
                    try await connection.query(
                        """
                        SELECT count(*) FROM export_files WHERE kind = 'placements_month' AND scheduled AND month = \(month.description)
                          AND format = \(format.rawValue)
                        """,
                        logger: self.logger
                    ).first(Int64.self) ?? 0
                if exists == 0,
                    let id = try await ExportFiles(client: self.client, logger: self.logger).make(
                        month: month,
                        format: format,
                        scheduled: true,
                        actor: nil,
                        today: today
                    )
                {
                    stored.append(id)
                    self.logger.info("scheduled export stored", metadata: ["month": "\(month)", "format": "\(format.rawValue)"])
                }
            }
            month = month.next
        }
        return stored
    }
}

/// Stored export files: made (by the schedule or on request), listed for staff, downloaded with
/// each download recorded and audited.
public struct ExportFiles: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Makes `month`'s file as it stood at the month's last day (CCCD masked) and stores it; nil
    /// when a scheduled file for it exists already.
    public func make(month: Month, format: TableFormat, scheduled: Bool, actor: Principal?, today: LocalDate = .today()) async throws -> Int64? {
        let lastDay = month.endExclusive.adding(days: -1)
        let spec = PlacementExportSpec(range: .month(month), asOf: min(lastDay, today), fullCCCD: false)
        let bytes = try await PlacementExports(client: self.client, logger: self.logger).bytes(spec, format: format, actor: actor)
        let checksum = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let id = try await tx.query(
                """
                INSERT INTO export_files (kind, month, format, as_of, scheduled, sha256, size_bytes, content, created_by)
                VALUES ('placements_month', \(month.description), \(format.rawValue), \(spec.asOf.description)::date, \(scheduled),
                        \(checksum), \(Int64(bytes.count)), \(ByteBuffer(bytes: bytes)), \(actor?.staffID))
                ON CONFLICT DO NOTHING RETURNING id
                """,
                logger: logger
            ).first(Int64.self)
            if let id {
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "store",
                    entity: "export_file",
                    entityID: id,
                    after: ["month": month.description, "format": format.rawValue, "sha256": checksum],
                    logger: logger
                )
            }
            return id
        }
    }

    /// A stored file as staff see it in the list.
    public struct Listed: Codable, Sendable {
        let id: Int64
        let kind: String
        let month: String
        let format: String
        let asOf: String
        let scheduled: Bool
        let sha256: String
        let sizeBytes: Int64
        let createdAt: String
        let downloads: Int64
        let lastDownloadedAt: String?
    }

    /// Every stored file, newest month first.
    func list() async throws -> [Listed] {
        let rows = try await self.client.query(
            """
            SELECT f.id, f.kind, f.month, f.format, f.as_of::text, f.scheduled, f.sha256, f.size_bytes,
                   to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   (SELECT count(*) FROM export_downloads d WHERE d.file_id = f.id),
                   (SELECT to_char(max(d.downloaded_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM export_downloads d WHERE d.file_id = f.id)
            FROM export_files f ORDER BY f.month DESC, f.format, f.id DESC
            """,
            logger: self.logger
        )
        var result: [Listed] = []
        for try await r in rows.decode((Int64, String, String, String, String, Bool, String, Int64, String, Int64, String?).self) {
            result.append(
                Listed(
                    id: r.0,
                    kind: r.1,
                    month: r.2,
                    format: r.3,
                    asOf: r.4,
                    scheduled: r.5,
                    sha256: r.6,
                    sizeBytes: r.7,
                    createdAt: r.8,
                    downloads: r.9,
                    lastDownloadedAt: r.10
                )
            )
        }
        return result
    }

    /// A stored file's name, format and bytes, with the download recorded and audited; nil if none.
    func download(id: Int64, by actor: Principal) async throws -> (name: String, format: TableFormat, bytes: [UInt8])? {
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let rows = try await tx.query("SELECT month, format, sha256, content FROM export_files WHERE id = \(id)", logger: logger)
            guard
                let (month, format, checksum, content) = try await rows.decode((String, String, String, ByteBuffer).self).first(where: { _ in true }),
                let tableFormat = TableFormat(rawValue: format)
            else { return nil }
            try await tx.query("INSERT INTO export_downloads (file_id, staff_id) VALUES (\(id), \(actor.staffID))", logger: logger)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "download",
                entity: "export_file",
                entityID: id,
                after: ["month": month, "format": format, "sha256": checksum],
                logger: logger
            )
            return ("placements-\(month).\(format)", tableFormat, Array(buffer: content))
        }
    }
}
