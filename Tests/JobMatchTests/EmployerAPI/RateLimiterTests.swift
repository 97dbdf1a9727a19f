import Testing

@testable import JobMatch

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("a key gets its burst, then waits; tokens come back with time; other keys are not touched")
    func buckets() {
        // setup: 60 a minute, bursts of 10
        let limiter = RateLimiter<String>(perMinute: 60)
        let start = ContinuousClock.now
        // act, verify
        #expect((0..<10).allSatisfy { _ in limiter.take("a", now: start) == nil })
        #expect(limiter.take("a", now: start) == 1)
        #expect(limiter.take("b", now: start) == nil)
        #expect(limiter.take("a", now: start + .seconds(1)) == nil)
        #expect(limiter.take("a", now: start + .seconds(1)) == 1)
    }

    @Test("past its bound it forgets the keys quiet long enough to be full again, and keeps a busy one")
    func bounded() {
        let limiter = RateLimiter<Int>(perMinute: 60, maxKeys: 3)
        let start = ContinuousClock.now
        for _ in 0..<10 { _ = limiter.take(1, now: start + .seconds(10)) }  // key 1 spent its burst
        _ = limiter.take(2, now: start)
        _ = limiter.take(3, now: start)
        #expect(limiter.keyCount == 3)
        // ten seconds on, keys 2 and 3 are full again; key 1 is not
        #expect(limiter.take(4, now: start + .seconds(10)) == nil)
        #expect(limiter.keyCount == 2)
        #expect(limiter.take(1, now: start + .seconds(10)) != nil, "the busy key still waits")
    }
}
