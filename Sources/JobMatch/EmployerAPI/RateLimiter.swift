import Foundation
import Hummingbird
import Synchronization

/// A token bucket per employer API key: `perMinute` requests a minute on average, and bursts of
/// a sixth of that. Over the limit, 429 with `Retry-After`. Kept in memory: a restart forgives.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Double
    let capacity: Double
    private let buckets = Mutex<[Int64: Bucket]>([:])

    init(perMinute: Int) {
        self.perSecond = Double(max(perMinute, 1)) / 60
        self.capacity = max(Double(perMinute) / 6, 1)
    }

    /// Takes one token for `key`; nil when allowed, else the seconds to wait.
    func take(_ key: Int64, now: ContinuousClock.Instant = .now) -> Int? {
        self.buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: self.capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(self.capacity, bucket.tokens + seconds * self.perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) / self.perSecond).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }
}
