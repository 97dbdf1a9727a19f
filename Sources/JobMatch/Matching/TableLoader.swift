import JobMatchCore
import PostgresNIO

/// Loads a worker table part after part on matching's threads (`MatchingThreads`): each part decoded
/// there, then added in order, while the task reading the facts goes on to the next part; `finish()`
/// waits for the last part and sorts the buckets. `add` is called by one task at a time (the one
/// reading the facts).
final class TableLoader: @unchecked Sendable {
    let table: WorkerTable
    /// The parts not known to be in the table yet, oldest first (each waits for the one before it).
    private var inFlight: [Task<Void, any Error>] = []

    init(_ table: WorkerTable) { self.table = table }

    /// Adds a part of `MatchingFactsReader.readRows`: decoded on a matching thread at once (parts are
    /// decoded side by side), added to the table in order. Waits while two parts before it are not
    /// in yet, so the reading never holds more than a few parts undecoded.
    func add(rows part: [PostgresRow]) async throws {
        if self.inFlight.count >= 2 { try await self.inFlight.removeFirst().value }
        let (before, table) = (self.inFlight.last, self.table)
        let decoded = Task { try await MatchingThreads.run { try MatchingFactsReader.decode(part) } }
        self.inFlight.append(
            Task {
                let workers = try await decoded.value
                try await before?.value
                try await MatchingThreads.run { table.add(workers) }
            }
        )
    }

    func finish() async throws {
        try await self.inFlight.last?.value
        let table = self.table
        try await MatchingThreads.run { table.sortBuckets() }
    }
}
