import Foundation
import Hummingbird
import Synchronization

/// A token bucket per key (an employer API key's id, a public page's client address): `perMinute`
/// requests a minute on average, and bursts of a sixth of that. Over the limit, the seconds to wait.
/// Kept in memory: a restart forgives. At most `maxKeys` buckets are kept: past that, the full ones
/// (keys quiet long enough to have every token back) are dropped, and if none is, all are.
final class RateLimiter<Key: Hashable & Sendable>: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Double
    let capacity: Double
    let maxKeys: Int
    private let buckets = Mutex<[Key: Bucket]>([:])

    init(perMinute: Int, maxKeys: Int = 100_000) {
        self.perSecond = Double(max(perMinute, 1)) / 60
        self.capacity = max(Double(perMinute) / 6, 1)
        self.maxKeys = max(1, maxKeys)
    }

    /// Takes one token for `key`; nil when allowed, else the seconds to wait.
    func take(_ key: Key, now: ContinuousClock.Instant = .now) -> Int? {
        self.buckets.withLock { buckets in
            if buckets[key] == nil && buckets.count >= self.maxKeys { self.forgetQuiet(&buckets, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: self.capacity, updated: now)
            bucket.tokens = self.refilled(bucket, now: now)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) / self.perSecond).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Keys held now (for the tests of the bound).
    var keyCount: Int { self.buckets.withLock { $0.count } }

    /// The bucket's tokens at `now`.
    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Double {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(self.capacity, bucket.tokens + seconds * self.perSecond)
    }

    /// Drops the buckets that are full again (forgetting them changes nothing), or all when none is.
    private func forgetQuiet(_ buckets: inout [Key: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { self.refilled($0.value, now: now) < self.capacity }
        if buckets.count >= self.maxKeys { buckets.removeAll() }
    }
}
