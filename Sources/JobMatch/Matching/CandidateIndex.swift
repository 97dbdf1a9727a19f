import Foundation
import JobMatchCore
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// Every eligible worker in memory (a `MatchingSnapshot` read in one database snapshot), so that one
/// vacancy's candidates need not score the whole registry in SQL. It stays exact without being
/// kept current: each write to what the ranking reads notes its worker in `matching_changes` with the
/// writing transaction's id (migration 0018), and a request asks, in its own transaction, which
/// workers changed in transactions this copy did not see. Those, the copy's best for the vacancy and
/// the workers whose eligibility turns with the clock (`volatile`) are then ranked by the same SQL as
/// always; everyone else is as the copy has them. A copy serves only on the day and with the weights
/// it was read with; `CandidateIndexRefresher` reads a new one when the day turns, when a change
/// may reach anyone, or when the changes pile up.
final class CandidateIndex: Sendable {
    /// A copy of the eligible workers and what is needed to know what it did not see.
    final class Copy: @unchecked Sendable {
        /// Ranking marks visited workers in the snapshot: only ever used under `CandidateIndex.state`'s lock.
        let snapshot: MatchingSnapshot
        /// `pg_current_snapshot()` of the transaction that read it, and its xmin, as text.
        let databaseSnapshot: String
        let databaseXmin: String
        let day: LocalDate
        let weights: MatchWeights
        /// Workers whose eligibility may change with the clock alone (an overseas contract ending or a
        /// departure due within days): always ranked in SQL.
        let volatile: Set<Int64>
        let workerCount: Int

        init(snapshot: MatchingSnapshot, databaseSnapshot: String, databaseXmin: String, day: LocalDate, weights: MatchWeights,
             volatile: Set<Int64>) {
            self.snapshot = snapshot
            self.databaseSnapshot = databaseSnapshot
            self.databaseXmin = databaseXmin
            self.day = day
            self.weights = weights
            self.volatile = volatile
            self.workerCount = snapshot.workers.count
        }
    }

    private struct State {
        var copy: Copy?
        var rebuildWanted = false
        var servedFromCopy = 0
        var servedBySQL = 0
    }
    private let state = Mutex(State())
    /// More changed workers than this since the copy and a request ranks in SQL and asks for a new copy.
    let maximumChanges: Int

    init(maximumChanges: Int = 5_000) {
        self.maximumChanges = maximumChanges
    }

    /// The copy in use, if any.
    var copy: Copy? { self.state.withLock { $0.copy } }

    /// How many lists the copy served and how many were ranked wholly in SQL (for tests and metrics).
    var served: (fromCopy: Int, bySQL: Int) { self.state.withLock { ($0.servedFromCopy, $0.servedBySQL) } }

    func install(_ copy: Copy) {
        self.state.withLock {
            $0.copy = copy
            $0.rebuildWanted = false
        }
        Gauge(label: "jobmatch_candidate_index_workers").record(copy.workerCount)
    }

    /// Asks the refresher for a new copy (the day turned, the weights changed, too many changes).
    func wantRebuild() { self.state.withLock { $0.rebuildWanted = true } }

    /// Whether a request asked for a new copy since the last one was installed.
    var rebuildWanted: Bool { self.state.withLock { $0.rebuildWanted } }

    /// Counts a list served from the copy or ranked wholly in SQL (also in `/metrics`).
    func countServed(fromCopy: Bool) {
        self.state.withLock { if fromCopy { $0.servedFromCopy += 1 } else { $0.servedBySQL += 1 } }
        Counter(label: "jobmatch_candidate_lists_total", dimensions: [("source", fromCopy ? "copy" : "sql")]).increment()
    }

    /// The ids of the copy's best `limit` for `vacancy` among the workers not `excluded`, best first.
    func best(in copy: Copy, for vacancy: MatchingSnapshot.Vacancy, limit: Int, excluding excluded: Set<Int64>) -> [Int64] {
        self.state.withLock { _ in
            copy.snapshot.candidates(for: vacancy, limit: limit, excluding: excluded).map { copy.snapshot.workers[$0.worker].id }
        }
    }

    /// Reads a new copy as of `today` in one REPEATABLE READ snapshot.
    static func read(today: LocalDate, client: PostgresClient, logger: Logger) async throws -> Copy {
        try await client.withConnection { connection in
            _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
            do {
                try await connection.allowLongWork(.job, logger: logger)
                // The first statement fixes the snapshot every later one reads.
                let (snapshot, xmin) = try await connection.query(
                    "SELECT pg_current_snapshot()::text, pg_snapshot_xmin(pg_current_snapshot())::text", logger: logger)
                    .decode((String, String).self).collect()[0]
                let weights = try await MatchWeightsRoutes.load(on: connection, logger: logger)
                let workers = try await MatchingSnapshot.load(today: today, weights: weights, vacancies: [], on: connection, logger: logger)
                let volatile = Set(try await connection.query(
                    """
                    SELECT DISTINCT worker_id FROM overseas_contracts
                    WHERE early_return_date IS NULL
                      AND ((departure_date IS NOT NULL AND departure_date + make_interval(months => term_months)
                                BETWEEN now() - interval '3 days' AND now() + interval '3 days')
                           OR (departure_date IS NULL AND planned_departure BETWEEN CURRENT_DATE - 3 AND CURRENT_DATE + 3))
                    """, logger: logger).decode(Int64.self).collect())
                _ = try await connection.query("COMMIT", logger: logger).collect()
                return Copy(snapshot: workers, databaseSnapshot: snapshot, databaseXmin: xmin, day: today, weights: weights, volatile: volatile)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw error
            }
        }
    }

    /// Workers changed by transactions `copy` did not see, read on `connection`; nil when a change may
    /// reach anyone (or there are too many to be worth it): the caller then ranks in SQL.
    func changes(since copy: Copy, on connection: PostgresConnection, logger: Logger) async throws -> Set<Int64>? {
        let rows = try await connection.query(
            """
            SELECT DISTINCT worker_id FROM matching_changes
            WHERE xid >= \(copy.databaseXmin)::xid8 AND NOT pg_visible_in_snapshot(xid, \(copy.databaseSnapshot)::pg_snapshot)
            LIMIT \(self.maximumChanges + 1)
            """, logger: logger)
        var changed = Set<Int64>()
        for worker in try await rows.decode(Int64?.self).collect() {
            guard let worker else {
                self.wantRebuild()
                return nil
            }
            changed.insert(worker)
        }
        if changed.count > self.maximumChanges {
            self.wantRebuild()
            return nil
        }
        return changed
    }
}
