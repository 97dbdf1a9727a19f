import JobMatchCore
import PostgresNIO

/// Loads a worker table part after part on matching's threads (`MatchingThreads`), in order, while
/// the task reading the facts goes on to the next part; `finish()` waits for the last part and sorts
/// the buckets. `add` is called by one task at a time (the one reading the facts).
final class TableLoader: @unchecked Sendable {
    let table: WorkerTable
    private var loaded: Task<Void, any Error>?
    private var inFlight: [Task<Void, any Error>] = []

    init(_ table: WorkerTable) { self.table = table }

    /// Adds a part of `MatchingFactsReader.readRows`: decoded on a matching thread at once (parts are
    /// decoded side by side), added to the table in order. Waits while two parts before it are not
    /// in yet, so the reading never holds more than a few parts undecoded.
    func add(rows part: [PostgresRow]) async throws {
        if self.inFlight.count >= 2 { try await self.inFlight.removeFirst().value }
        let (before, table) = (self.loaded, self.table)
        let decoded = Task { try await MatchingThreads.run { try MatchingFactsReader.decode(part) } }
        let loaded = Task {
            let workers = try await decoded.value
            try await before?.value
            try await MatchingThreads.run { table.add(workers) }
        }
        self.loaded = loaded
        self.inFlight.append(loaded)
    }

    func finish() async throws {
        try await self.loaded?.value
        let table = self.table
        try await MatchingThreads.run { table.sortBuckets() }
    }
}
