import Foundation
import JobMatchCore
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Reads the candidate index's copy once the database is migrated, then patches it in place every
/// `interval` from the changes it is told of and from the clock (a new day, new weights); reads a
/// whole new copy only when a change may reach anyone. Deletes change notes older than two days.
struct CandidateIndexRefresher: Service {
    let client: PostgresClient
    let index: CandidateIndex
    let logger: Logger
    var interval: Duration = .seconds(1)
    var today: @Sendable () -> LocalDate = { MatchingClock.today() }
    /// Where a whole new copy is read (the replica while caught up; its snapshot's transaction ids
    /// are the primary's, so the next patch, read on `client`, brings the copy up to date).
    let reads: ReadRouter

    /// `reads` nil: everything on `client`.
    init(client: PostgresClient, index: CandidateIndex, logger: Logger, reads: ReadRouter? = nil) {
        self.client = client
        self.index = index
        self.logger = logger
        self.reads = reads ?? .primaryOnly(client)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var wait = Duration.seconds(1)
            var lastCleanup = ContinuousClock.now - .seconds(3600)
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                wait = self.interval
                do {
                    guard try await self.ready() else {
                        wait = .seconds(1)
                        continue
                    }
                    try await self.refresh()
                    if ContinuousClock.now - lastCleanup > .seconds(3600) {
                        _ = try await self.client.query(
                            "DELETE FROM matching_changes WHERE changed_at < now() - interval '2 days'",
                            logger: self.logger
                        )
                        .collect()
                        lastCleanup = ContinuousClock.now
                    }
                } catch  where !Task.isCancelled {
                    self.logger.warning("candidate index not refreshed", metadata: ["error": "\(String(describing: type(of: error)))"])
                } catch {
                    break
                }
            }
        }
    }

    /// The migration that notes changes has run (the service starts before migrations finish).
    private func ready() async throws -> Bool {
        try await self.client.query("SELECT to_regclass('matching_changes') IS NOT NULL", logger: self.logger).collect().first?.decode(Bool.self)
            ?? false
    }

    /// Patches the copy (or reads the first, or a whole new one when a change may reach anyone).
    func refresh() async throws {
        let started = ContinuousClock.now
        let today = self.today()
        if let copy = self.index.copy, let (patched, count) = try await self.index.patch(copy, today: today, client: self.client, logger: self.logger)
        {
            self.index.install(patched)
            if count > 0 { self.logger.debug("candidate index patched", metadata: ["workers": "\(count)", "ms": "\(Self.ms(since: started))"]) }
            return
        }
        let route = self.reads.route()
        let copy = try await CandidateIndex.read(today: today, client: route.client, logger: self.logger)
        self.index.install(copy)
        let server = route.onReplica ? "replica" : "primary"
        Counter(label: "jobmatch_candidate_index_reads_total", dimensions: [("server", server)]).increment()
        self.logger.info(
            "candidate index read",
            metadata: ["workers": "\(copy.table.aliveCount)", "ms": "\(Self.ms(since: started))", "server": "\(server)"]
        )
    }

    static func ms(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}
