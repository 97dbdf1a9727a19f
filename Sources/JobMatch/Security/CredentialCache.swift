import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Recently checked bearer secrets (by hash), so that most requests need no query to know their
/// caller. It is only used while `CredentialChangeListener` is listening: any change to a key, a
/// token or a staff account anywhere (this service, the CLI, another instance) is announced by a
/// trigger on commit and empties it, so a revoked key is refused at once. Unknown secrets are
/// never kept, and the cache never grows beyond `capacity` entries.
///
/// It also remembers when this service last wrote each credential's `last_used_at`, so that a
/// credential in constant use is written about once a minute, not on every request.
final class CredentialCache: Sendable {
    /// A caller as kept: who, by which credential, and until when the credential works (nil: no end).
    struct Entry: Sendable {
        let principal: Principal
        let credential: CredentialID?
        let expiresAt: Date?
    }

    private struct State {
        var listening = false
        var principals: [Data: Entry] = [:]
        /// Counts the times it was emptied, so an answer read before a change is not kept after it.
        var generation: UInt64 = 0
    }
    private let state = Mutex(State())
    /// When each credential's use was last written by this service (kept across `clear`).
    private let usesWritten = Mutex([CredentialID: ContinuousClock.Instant]())
    let capacity: Int
    /// How often at most a credential's `last_used_at` is written.
    static let useInterval: Duration = .seconds(60)

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The cached caller, or nil and the generation to pass to `remember` after asking the database.
    func principal(forHash hash: Data) -> (principal: Principal?, generation: UInt64) {
        let (entry, generation) = self.entry(forHash: hash)
        return (entry?.principal, generation)
    }

    /// The cached caller with its credential, unless expired; else nil and the generation for `remember`.
    func entry(forHash hash: Data, now: Date = Date()) -> (entry: Entry?, generation: UInt64) {
        self.state.withLock { state in
            guard state.listening, let entry = state.principals[hash] else { return (nil, state.generation) }
            if let expiry = entry.expiresAt, expiry <= now { return (nil, state.generation) }
            return (entry, state.generation)
        }
    }

    /// Keeps an answer read from the database, unless the cache was emptied since `generation`.
    func remember(_ principal: Principal, forHash hash: Data, generation: UInt64, credential: CredentialID? = nil, expiresAt: Date? = nil) {
        self.state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if state.principals.count >= self.capacity { state.principals.removeAll(keepingCapacity: true) }
            state.principals[hash] = Entry(principal: principal, credential: credential, expiresAt: expiresAt)
        }
    }

    /// True, and noted, when this service has not written `credential`'s use for `useInterval`.
    func useIsDue(_ credential: CredentialID, now: ContinuousClock.Instant = .now) -> Bool {
        self.usesWritten.withLock { written in
            if let last = written[credential], now - last < Self.useInterval { return false }
            if written.count >= self.capacity { written.removeAll(keepingCapacity: true) }
            written[credential] = now
            return true
        }
    }

    /// Forgets everything (a credential changed).
    func clear() {
        self.state.withLock { state in
            state.principals.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

    /// Turns the cache on once the listener hears changes, and off (emptied) when it stops.
    func setListening(_ listening: Bool) {
        self.state.withLock { state in
            state.listening = listening
            state.principals.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

}
