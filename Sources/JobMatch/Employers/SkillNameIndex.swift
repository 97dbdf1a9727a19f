import Logging
import PostgresNIO
import Synchronization

/// The skills catalogue's names in memory, so the employer API's one-trip POST resolves a
/// vacancy's skills without a query. Skills are never deleted or renamed, so a name found here is
/// certainly in the catalogue; a name not found (spelt differently, or added since) is left to the
/// database, and the next request after a short pause reads the catalogue again.
final class SkillNameIndex: Sendable {
    /// A catalogue entry, with its place in Vietnamese order among those read.
    struct Entry: Sendable {
        let id: Int64
        let name: String
        let rank: Int
    }

    private struct State {
        var byName: [String: Entry] = [:]
        var loadedAt: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    /// How long after a read a miss may trigger another.
    static let refreshPause = Duration.seconds(5)

    /// The entries of these exact names (duplicates removed), in Vietnamese order, or nil when
    /// any name is not in memory.
    func resolve(_ names: [String], client: PostgresClient, logger: Logger) async throws -> [Entry]? {
        if names.isEmpty { return [] }
        if self.state.withLock({ $0.loadedAt == nil }) { try await self.load(client, logger: logger) }
        let (found, loadedAt) = self.state.withLock { state in (names.map { state.byName[$0] }, state.loadedAt) }
        let entries = found.compactMap { $0 }
        guard entries.count == names.count else {
            // A name added since the last read: read again on a later request, after a pause.
            if let loadedAt, ContinuousClock.now - loadedAt > Self.refreshPause {
                self.state.withLock { $0.loadedAt = nil }
            }
            return nil
        }
        var seen = Set<Int64>()
        return entries.filter { seen.insert($0.id).inserted }.sorted { $0.rank < $1.rank }
    }

    /// Reads the whole catalogue with each skill's place in Vietnamese order.
    func load(_ client: PostgresClient, logger: Logger) async throws {
        var byName: [String: Entry] = [:]
        let rows = try await client.query(
            """
            SELECT id, name_vi, row_number() OVER (ORDER BY name_vi COLLATE "vi-VN-x-icu", id)::bigint FROM skills
            """,
            logger: logger
        )
        for try await (id, name, rank) in rows.decode((Int64, String, Int64).self) {
            byName[name] = Entry(id: id, name: name, rank: Int(rank))
        }
        self.state.withLock { $0 = State(byName: byName, loadedAt: .now) }
    }
}
