import Logging
import PostgresNIO
import Synchronization

/// The 2025 wards and the occupation codes (and their titles, into `OccupationTitles`), read once after the reference data is loaded, so the
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
        var titles: [String: String] = [:]
        let occupations = try await client.query("SELECT code, coalesce(title_vi, title_en) FROM occupations", logger: logger)
        for try await (code, title) in occupations.decode((String, String).self) {
            loaded.occupations.insert(code)
            titles[code] = title
        }
        OccupationTitles.set(titles)
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
