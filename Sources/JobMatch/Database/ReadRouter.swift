import PostgresNIO

/// Where a full read goes: exports, reports, the dashboard's aggregates and the matching copy's
/// full read use the replica (`DATABASE_REPLICA_URL`) while `ReplicaLag` finds it within its limit,
/// else the primary, decided per read. Writes, audit entries and reads that must see their own
/// writes never come here: they use the primary's pool directly.
struct ReadRouter: Sendable {
    let primary: PostgresClient
    /// How an export reaches the primary with libpq to read its rows with COPY; nil: the rows are
    /// decoded by PostgresNIO (`PlacementExports(client:logger:)` without a connector).
    let primaryCopy: CopyOutConnector?
    let replica: Replica?

    init(primary: PostgresClient, primaryCopy: CopyOutConnector? = nil, replica: Replica? = nil) {
        self.primary = primary
        self.primaryCopy = primaryCopy
        self.replica = replica
    }

    /// A standby, its pool, and what the lag monitor last found.
    struct Replica: Sendable {
        let client: PostgresClient
        /// How a reader that opens a libpq connection of its own (an export's COPY) reaches it.
        let copy: CopyOutConnector
        let lag: ReplicaLag
    }

    /// The pool one read uses.
    struct Route: Sendable {
        let client: PostgresClient
        /// The standby's: read-only, so no temporary tables and no writes on it.
        let onReplica: Bool
        /// How this read's COPY reaches the same server as `client`.
        let copy: CopyOutConnector?

        /// Whether the read may make temporary tables: not on a standby, which refuses them.
        var temporaryTables: Bool { !self.onReplica }
    }

    /// Everything on the primary (no replica configured, the CLI, tests of one feature).
    static func primaryOnly(_ client: PostgresClient, copy: CopyOutConnector? = nil) -> ReadRouter {
        ReadRouter(primary: client, primaryCopy: copy)
    }

    /// The pool for a full read now: the replica's while it is in use, else the primary's.
    func route() -> Route {
        if let replica = self.replica, replica.lag.inUse() {
            return Route(client: replica.client, onReplica: true, copy: replica.copy)
        }
        return Route(client: self.primary, onReplica: false, copy: self.primaryCopy)
    }

    /// The pool for a full read that needs nothing the primary alone can do.
    var client: PostgresClient { self.route().client }
}
