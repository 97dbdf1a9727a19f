import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Reads the candidate index's copy of the eligible workers once the database is migrated, and a new
/// one whenever the old cannot serve (another day, other weights, a change that may reach anyone) or
/// the changes since it pile up; deletes change notes older than two days.
struct CandidateIndexRefresher: Service {
    let client: PostgresClient
    let index: CandidateIndex
    let logger: Logger
    /// How often it looks whether a new copy is needed.
    var interval: Duration = .seconds(15)
    /// A new copy is read once this many workers changed since the last (requests then rank more in SQL).
    var changesBeforeRefresh = 1_000
    var today: @Sendable () -> LocalDate = { .today() }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // A moment first: the database client starts alongside, and the migrations after it.
            var wait = Duration.seconds(1)
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                wait = self.interval
                do {
                    if try await self.ready() {
                        if try await self.needsCopy() { try await self.refresh() }
                    } else {
                        wait = .seconds(1)
                    }
                } catch where !Task.isCancelled {
                    self.logger.warning("candidate index not refreshed", metadata: ["error": "\(String(describing: type(of: error)))"])
                } catch {
                    break
                }
            }
        }
    }

    /// The migration that notes changes has run (the service starts before migrations finish).
    private func ready() async throws -> Bool {
        try await self.client.query("SELECT to_regclass('matching_changes') IS NOT NULL", logger: self.logger).collect().first?.decode(Bool.self) ?? false
    }

    private func needsCopy() async throws -> Bool {
        guard let copy = self.index.copy else { return true }
        if copy.day != self.today() || self.index.rebuildWanted { return true }
        return try await self.client.withConnection { connection in
            if try await MatchWeightsRoutes.load(on: connection, logger: self.logger) != copy.weights { return true }
            let rows = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE worker_id IS NULL), count(DISTINCT worker_id) FROM matching_changes
                WHERE xid >= \(copy.databaseXmin)::xid8 AND NOT pg_visible_in_snapshot(xid, \(copy.databaseSnapshot)::pg_snapshot)
                """, logger: self.logger).decode((Int, Int).self).collect()
            guard let (anyone, workers) = rows.first else { return true }
            return anyone > 0 || workers >= self.changesBeforeRefresh
        }
    }

    /// Reads and installs a new copy.
    func refresh() async throws {
        let started = ContinuousClock.now
        let copy = try await CandidateIndex.read(today: self.today(), client: self.client, logger: self.logger)
        self.index.install(copy)
        _ = try await self.client.query("DELETE FROM matching_changes WHERE changed_at < now() - interval '2 days'", logger: self.logger).collect()
        let elapsed = ContinuousClock.now - started
        self.logger.info("candidate index read", metadata: [
            "workers": "\(copy.workerCount)", "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
    }
}
