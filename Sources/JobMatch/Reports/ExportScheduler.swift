import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Makes last month's placement export on the configured day of each month, and any month missed
/// while the service was down (up to a year back), each file once in each format, however many
/// instances run: a session advisory lock lets one instance work, and a unique index refuses a
/// second file. Each file is the month as it stood at its last day (so the CLI's `--as-of` with
/// that day gives the same bytes), CCCD masked, kept with its SHA-256.
public struct ExportScheduler: Service {
    let client: PostgresClient
    /// Where each file's export is read (the replica while caught up); the lock and the files stay on `client`.
    let reads: ReadRouter
    let logger: Logger
    let config: ExportScheduleConfig
    let clock: @Sendable () -> Date

    /// Everything on `client`; `copy`: how the files' rows are read with COPY (`PlacementExports`).
    public init(
        client: PostgresClient,
        logger: Logger,
        config: ExportScheduleConfig,
        copy: CopyOutConnector? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(reads: .primaryOnly(client, copy: copy), logger: logger, config: config, clock: clock)
    }

    init(reads: ReadRouter, logger: Logger, config: ExportScheduleConfig, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = reads.primary
        self.reads = reads
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
                    let id = try await ExportFiles(reads: self.reads, logger: self.logger).make(
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
