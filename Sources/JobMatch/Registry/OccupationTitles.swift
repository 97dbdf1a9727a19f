import Synchronization

/// The occupations' Vietnamese titles (`sql/reference/occupation_titles_vi.csv`), read with the
/// reference catalogue when the service starts, so pages name an occupation without a query. Every
/// database loads the same file, so one copy serves every application in the process.
enum OccupationTitles {
    private static let titles = Mutex<[String: String]>([:])

    /// Replaces the titles (code → title).
    static func set(_ titles: [String: String]) {
        self.titles.withLock { $0 = titles }
    }

    /// The title of `code`, once the titles have been read.
    static func title(_ code: String) -> String? {
        self.titles.withLock { $0[code] }
    }
}
