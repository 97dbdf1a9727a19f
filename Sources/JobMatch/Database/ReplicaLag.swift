import Dispatch
import Synchronization

/// How far the replica is behind the primary, from what `ReplicaLagMonitor` last saw, and whether
/// reads may go there now. The lag is an upper bound on how stale a read there can be:
///
/// - the time since the primary's WAL position of an earlier look had been replayed on the
///   standby (no byte behind means caught up, however long the primary has been idle);
/// - when behind, also the standby's own `now() - pg_last_xact_replay_timestamp()` (under a steady
///   stream of writes the standby is rarely exactly at a position the monitor saw);
///
/// whichever is smaller. Unknown (nil, so no reads there) before the first answer, when the
/// standby does not answer or is not in recovery (promoted, or not a standby at all), and when its
/// last answer is older than `silence`.
final class ReplicaLag: Sendable {
    /// Above this the reads go to the primary.
    let limit: Duration
    /// A standby silent this long is bypassed (a measurement may hang on a frozen host).
    let silence: Duration

    private struct State {
        /// The primary's WAL positions as seen by the monitor (uptime in nanoseconds, position), oldest first.
        var primary: [(at: UInt64, lsn: UInt64)] = []
        /// When the standby was last known to hold everything the primary had.
        var caughtUpAt: UInt64?
        /// The standby's last answer: when, whether usable, and its replay delay when behind.
        var answeredAt: UInt64?
        var usable = false
        var replayDelay: Double?
    }
    private let state = Mutex(State())

    init(limit: Duration, silence: Duration) {
        self.limit = limit
        self.silence = silence
    }

    /// The primary was at `lsn` at `now` (read before the standby is asked).
    func primary(lsn: UInt64, now: UInt64 = ReplicaLag.now()) {
        self.state.withLock { state in
            state.primary.append((now, lsn))
            if state.primary.count > 600 { state.primary.removeFirst(state.primary.count - 600) }
        }
    }

    /// The standby's answer: in recovery, replayed up to `replayed`, `replayDelay` seconds since its
    /// last replayed commit (nil when it replayed none).
    func standby(inRecovery: Bool, replayed: UInt64?, replayDelay: Double?, now: UInt64 = ReplicaLag.now()) {
        self.state.withLock { state in
            state.answeredAt = now
            guard inRecovery, let replayed else {
                state.usable = false
                return
            }
            state.usable = true
            if let index = state.primary.lastIndex(where: { $0.lsn <= replayed }) {
                let seen = state.primary[index]
                state.caughtUpAt = max(state.caughtUpAt ?? 0, seen.at)
                // Older positions can no longer tell anything newer.
                state.primary.removeFirst(index)
            }
            let behind = state.primary.last.map { $0.lsn > replayed } ?? false
            state.replayDelay = behind ? replayDelay.map { max(0, $0) } : nil
        }
    }

    /// The standby did not answer (refused, failed, or timed out).
    func unanswered(now: UInt64 = ReplicaLag.now()) {
        self.state.withLock { state in
            state.answeredAt = now
            state.usable = false
        }
    }

    /// The lag in seconds at `now`; nil when unknown (then reads go to the primary).
    func seconds(now: UInt64 = ReplicaLag.now()) -> Double? {
        self.state.withLock { state in
            guard state.usable, let answeredAt = state.answeredAt, now >= answeredAt,
                Double(now - answeredAt) / 1e9 <= Self.seconds(self.silence)
            else { return nil }
            let sinceCaughtUp = state.caughtUpAt.map { Double(now &- $0) / 1e9 }
            let sinceReplay = state.replayDelay.map { $0 + Double(now - answeredAt) / 1e9 }
            switch (sinceCaughtUp, sinceReplay) {
            case (let a?, let b?): return min(a, b)
            case (let a?, nil): return a
            case (nil, let b?): return b
            case (nil, nil): return nil
            }
        }
    }

    /// Whether a read may go to the replica now: its lag is known and within the limit.
    func inUse(now: UInt64 = ReplicaLag.now()) -> Bool {
        guard let lag = self.seconds(now: now) else { return false }
        return lag <= Self.seconds(self.limit)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A WAL position as PostgreSQL writes it (`16/B374D848`) as a number; nil when malformed.
    static func lsn(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16), high <= UInt32.max,
            low <= UInt32.max
        else { return nil }
        return high << 32 | low
    }
}
