import Foundation
import JobMatchCore
import Synchronization

/// The day matching ranks for: today in Vietnam, or, when `JOBMATCH_TODAY_FILE` names a file, the date
/// written in it (YYYY-MM-DD; read at most once a second). The file lets benchmarks and trials turn
/// the day without waiting for midnight; production leaves it unset.
public enum MatchingClock {
    private static let cache = Mutex<(read: ContinuousClock.Instant, day: LocalDate?)>((ContinuousClock.now - .seconds(10), nil))

    public static func today() -> LocalDate {
        guard let path = ProcessInfo.processInfo.environment["JOBMATCH_TODAY_FILE"], !path.isEmpty else { return .today() }
        return Self.cache.withLock { cache in
            if ContinuousClock.now - cache.read >= .seconds(1) { cache = (ContinuousClock.now, Self.day(inFile: path)) }
            return cache.day ?? .today()
        }
    }

    /// The date written in a day file, or nil when it is missing or holds no date.
    static func day(inFile path: String) -> LocalDate? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { LocalDate($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
