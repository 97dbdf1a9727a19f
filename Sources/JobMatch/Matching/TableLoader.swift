import JobMatchCore

/// Loads a worker table part after part on matching's threads (`MatchingThreads`), in order, while
/// the task reading the facts goes on to the next part; `finish()` waits for the last part and sorts
/// the buckets. `add` is called by one task at a time (the one reading the facts).
final class TableLoader: @unchecked Sendable {
    let table: WorkerTable
    private var loaded: Task<Void, any Error>?

    init(_ table: WorkerTable) { self.table = table }

    func add(_ part: [MatchingWorker]) {
        let (before, table) = (self.loaded, self.table)
        self.loaded = Task {
            try await before?.value
            try await MatchingThreads.run { table.add(part) }
        }
    }

    func finish() async throws {
        try await self.loaded?.value
        let table = self.table
        try await MatchingThreads.run { table.sortBuckets() }
    }
}
