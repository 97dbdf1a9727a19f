import Foundation
import JobMatchCore
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// Every eligible worker in memory (a `WorkerTable`), kept exact without ever being thrown away:
/// each write to what the ranking reads notes its worker in `matching_changes` with the writing
/// transaction's id (migrations 0018, 0027). `CandidateIndexRefresher` patches the table in place
/// from those notes every second (and recomputes fixed points for a new day or new weights); a
/// request re-reads, in its own snapshot, only the workers changed since the table's snapshot (and
/// those turning with the clock), ranks them beside the table's best, and so gives the list a full
/// ranking over everyone would give.
final class CandidateIndex: Sendable {
    /// The table and what is needed to know which changes it has not seen.
    struct Copy: Sendable {
        let table: WorkerTable
        /// `pg_current_snapshot()` of the transaction the table was last brought up to date in, and its xmin.
        let databaseSnapshot: String
        let databaseXmin: String
        /// The day the table's facts (statuses, contracts) were read for.
        let factsDay: LocalDate
        /// Workers whose eligibility may change with the clock alone: re-read by every request.
        let volatile: Set<Int64>
    }

    private struct State {
        var copy: Copy?
        var servedFromCopy = 0
        var servedByReading = 0
    }
    private let state = Mutex(State())
    /// The copy's table is read and patched under this lock only.
    private let tableLock = Mutex(())

    init() {}

    var copy: Copy? { self.state.withLock { $0.copy } }

    /// How many lists the copy served and how many were ranked from a full read (for tests and metrics).
    var served: (fromCopy: Int, byReading: Int) { self.state.withLock { ($0.servedFromCopy, $0.servedByReading) } }

    func install(_ copy: Copy) {
        self.state.withLock { $0.copy = copy }
        self.tableLock.withLock { _ in
            Gauge(label: "jobmatch_candidate_index_workers").record(copy.table.aliveCount)
            Gauge(label: "jobmatch_candidate_index_bytes").record(copy.table.memoryBytes)
        }
    }

    func countServed(fromCopy: Bool) {
        self.state.withLock { if fromCopy { $0.servedFromCopy += 1 } else { $0.servedByReading += 1 } }
        Counter(label: "jobmatch_candidate_lists_total", dimensions: [("source", fromCopy ? "copy" : "read")]).increment()
    }

    /// Runs `body` on the copy's table with no patch under way.
    func withTable<Result>(_ copy: Copy, _ body: (WorkerTable) -> Result) -> Result {
        self.tableLock.withLock { _ in body(copy.table) }
    }

    /// Reads a whole new copy as of `today` in one REPEATABLE READ snapshot.
    static func read(today: LocalDate, client: PostgresClient, logger: Logger) async throws -> Copy {
        try await Self.inSnapshot(client: client, logger: logger) { connection, snapshot, xmin in
            let weights = try await MatchWeightsRepository.load(on: connection, logger: logger)
            let table = WorkerTable(weights: weights, today: today)
            let loader = TableLoader(table)
            try await MatchingFactsReader.readRows(today: today, on: connection, logger: logger) { try await loader.add(rows: $0) }
            try await loader.finish()
            let volatile = try await MatchingFactsReader.turningWithClock(on: connection, logger: logger)
            return Copy(table: table, databaseSnapshot: snapshot, databaseXmin: xmin, factsDay: today, volatile: volatile)
        }
    }

    /// Brings `copy` up to date in place: the workers changed since its snapshot (and, on a new day,
    /// those whose status or contract turned) are read again in a new snapshot and patched in; new
    /// weights or a new day recompute every worker's fixed points. Nil when a change may reach anyone
    /// (a truncated table): then a whole copy is read.
    func patch(_ copy: Copy, today: LocalDate, client: PostgresClient, logger: Logger) async throws -> (Copy, patched: Int)? {
        try await Self.inSnapshot(client: client, logger: logger) { connection, snapshot, xmin in
            guard var changed = try await Self.changes(since: copy, on: connection, logger: logger) else { return nil }
            let weights = try await MatchWeightsRepository.load(on: connection, logger: logger)
            changed.formUnion(copy.volatile)
            if copy.factsDay != today {
                changed.formUnion(try await MatchingFactsReader.statusTurning(from: copy.factsDay, to: today, on: connection, logger: logger))
            }
            let ids = Array(changed).sorted()
            let fresh = ids.isEmpty ? [] : try await MatchingFactsReader.read(today: today, only: ids, on: connection, logger: logger)
            let volatile = try await MatchingFactsReader.turningWithClock(on: connection, logger: logger)
            self.tableLock.withLock { _ in
                let table = copy.table
                table.bring(to: today, weights: weights)
                let eligible = Set(fresh.map(\.id))
                for id in ids where !eligible.contains(id) { table.remove(id: id) }
                for worker in fresh { table.upsert(worker) }
            }
            let patched = Copy(table: copy.table, databaseSnapshot: snapshot, databaseXmin: xmin, factsDay: today, volatile: volatile)
            return (patched, ids.count)
        }
    }

    /// Workers changed by transactions `copy` did not see, read on `connection`; nil when a change may
    /// reach anyone.
    static func changes(since copy: Copy, on connection: PostgresConnection, logger: Logger) async throws -> Set<Int64>? {
        let rows = try await connection.query(
            """
            SELECT DISTINCT worker_id
            FROM (SELECT \(copy.databaseSnapshot)::text AS snapshot, \(copy.databaseXmin)::text AS xmin) c, \(unescaped: Self.changesSince)
            """,
            logger: logger
        )
        var changed = Set<Int64>()
        for worker in try await rows.decode(Int64?.self).collect() {
            guard let worker else { return nil }
            changed.insert(worker)
        }
        return changed
    }

    /// The change notes a copy has not seen, given `c.snapshot` and `c.xmin` (the copy's, as text; no
    /// rows when they are null): `FROM` this, then `AND` further conditions.
    static let changesSince = """
        matching_changes m WHERE c.snapshot IS NOT NULL AND m.xid >= c.xmin::xid8 AND NOT pg_visible_in_snapshot(m.xid, c.snapshot::pg_snapshot)
        """

    /// Runs `body` in a read-only REPEATABLE READ transaction, given its snapshot and xmin as text.
    private static func inSnapshot<Result>(
        client: PostgresClient,
        logger: Logger,
        _ body: (PostgresConnection, String, String) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
            do {
                try await connection.allowLongWork(.job, logger: logger)
                // The first statement fixes the snapshot every later one reads.
                let (snapshot, xmin) = try await connection.query(
                    "SELECT pg_current_snapshot()::text, pg_snapshot_xmin(pg_current_snapshot())::text",
                    logger: logger
                )
                .decode((String, String).self).collect()[0]
                let result = try await body(connection, snapshot, xmin)
                _ = try await connection.query("COMMIT", logger: logger).collect()
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw error
            }
        }
    }
}
