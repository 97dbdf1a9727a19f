import NIOPosix

/// Where matching's long stretches of CPU run (building a worker table, a batch's ranking and
/// solve): seconds without a pause there, on the threads that run the service's tasks, once kept the
/// database gate's probe from running, and requests got 503. Two threads: a batch (one at a time)
/// uses both while it solves (the assignment and the independent maximum side by side), so the
/// candidate copy's reading may wait those seconds for one; otherwise they never wait for each other.
enum MatchingThreads {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// Runs `work` on one of the matching threads and returns what it gives.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.pool.runIfActive(work)
    }
}
