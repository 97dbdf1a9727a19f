import Logging
import PostgresNIO
import Synchronization

/// The 2025 wards and the occupation codes, read once after the reference data is loaded, so the
/// busiest writes validate these codes without a query. The lists only grow (reference data is
/// never deleted), so a code found here is certainly valid; a code not found is checked in the
/// database, which also words the error.
final class ReferenceCatalogue: Sendable {
    private struct Snapshot {
        var wardNames: [String: String] = [:]
        var occupations: Set<String> = []
    }
    private let snapshot = Mutex<Snapshot?>(nil)

    func load(_ client: PostgresClient, logger: Logger) async throws {
        var loaded = Snapshot()
        for try await (code, name) in try await client.query("SELECT ward_code, ward_name FROM wards_2025", logger: logger).decode(
            (String, String).self
        ) {
            loaded.wardNames[code] = name
        }
        for try await code in try await client.query("SELECT code FROM occupations", logger: logger).decode(String.self) {
            loaded.occupations.insert(code)
        }
        self.snapshot.withLock { $0 = loaded }
    }

    /// The name of a 2025 ward, when the catalogue has been read and knows the code.
    func wardName(_ code: String) -> String? {
        self.snapshot.withLock { $0?.wardNames[code] }
    }

    func hasOccupation(_ code: String) -> Bool {
        self.snapshot.withLock { $0?.occupations.contains(code) ?? false }
    }
}
