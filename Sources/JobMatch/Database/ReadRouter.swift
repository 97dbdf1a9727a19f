import PostgresNIO

/// Where a full read goes: exports, reports, the dashboard's aggregates and the matching copy's
/// full read use the replica (`DATABASE_REPLICA_URL`) while `ReplicaLag` finds it within its limit,
/// else the primary, decided per read. Writes, audit entries and reads that must see their own
/// writes never come here: they use the primary's pool directly.
struct ReadRouter: Sendable {
    let primary: PostgresClient
    let replica: Replica?

    /// A standby, its pool, and what the lag monitor last found.
    struct Replica: Sendable {
        let client: PostgresClient
        /// How to reach it, for a reader that opens a connection of its own (as the primary's `DATABASE_URL`).
        let url: String
        let lag: ReplicaLag
    }

    /// The pool one read uses.
    struct Route: Sendable {
        let client: PostgresClient
        /// The standby's: read-only, so no temporary tables and no writes on it.
        let onReplica: Bool
        /// The replica's address when `onReplica`.
        let replicaURL: String?
    }

    /// Everything on the primary (no replica configured, the CLI, tests of one feature).
    static func primaryOnly(_ client: PostgresClient) -> ReadRouter {
        ReadRouter(primary: client, replica: nil)
    }

    /// The pool for a full read now: the replica's while it is in use, else the primary's.
    func route() -> Route {
        if let replica = self.replica, replica.lag.inUse() {
            return Route(client: replica.client, onReplica: true, replicaURL: replica.url)
        }
        return Route(client: self.primary, onReplica: false, replicaURL: nil)
    }

    /// The pool for a full read that needs nothing the primary alone can do.
    var client: PostgresClient { self.route().client }
}
