/// `operation`'s result, or `TestFailure` naming `what` once `timeout` has passed without one: a
/// test waits on an event this way instead of sleeping and looking again.
func within<T: Sendable>(_ timeout: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TestFailure("\(what): not within \(timeout)") }
        return value
    }
}
