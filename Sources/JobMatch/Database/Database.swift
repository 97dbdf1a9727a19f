import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL the service talks to: an external server (`DATABASE_URL`) or the embedded
/// cluster, which is started here when needed and stopped when the owner shuts down.
public struct Database: Sendable {
    public let client: PostgresClient
    /// A one-connection pool of its own for `DatabaseGate`'s probe.
    let probeClient: PostgresClient
    /// The embedded cluster, when this process started it and must stop it.
    let ownedCluster: EmbeddedPostgres?
    /// How to log in as the schema's owner: the embedded cluster's superuser, or `DATABASE_OWNER_URL`
    /// (falling back to `DATABASE_URL` when unset).
    let ownerConfiguration: PostgresClient.Configuration
    /// How the placement exports reach the same database with libpq, to read their rows with COPY.
    public let copyConnector: CopyOutConnector
    /// The standby full reads may use (`DATABASE_REPLICA_URL`), and its monitor; nil when unset.
    let replica: ReadRouter.Replica?
    let replicaMonitor: ReplicaLagMonitor?

    /// Where full reads go: the replica while it is caught up, else `client`.
    var reads: ReadRouter { ReadRouter(primary: self.client, primaryCopy: self.copyConnector, replica: self.replica) }

    /// Resolves the configuration: connects to `DATABASE_URL`, or starts the embedded cluster.
    /// `sessionTimeouts`: the service's limits on every session of its pool (one-shot commands,
    /// which are long jobs, run without them).
    /// `adoptRunning`: the service takes charge of a cluster left running (say, after a crash) and
    /// stops it on shutdown; one-shot commands only stop a cluster they started themselves.
    public static func open(
        _ config: AppConfig,
        logger: Logger,
        adoptRunning: Bool = false,
        poolLogLevel: Logger.Level? = nil,
        sessionTimeouts: SessionTimeouts? = nil
    ) async throws -> Database {
        var clientConfiguration: PostgresClient.Configuration
        var ownerConfiguration: PostgresClient.Configuration
        var owned: EmbeddedPostgres? = nil
        let copyConnector: CopyOutConnector
        if let url = config.databaseURL {
            clientConfiguration = try DatabaseURL.configuration(from: url)
            copyConnector = try CopyOutConnector(databaseURL: url)
            ownerConfiguration = try config.databaseOwnerURL.map { try DatabaseURL.configuration(from: $0) } ?? clientConfiguration
        } else {
            let cluster = try EmbeddedPostgres(home: config.home, settings: config.embeddedSettings, logger: logger)
            if try cluster.start() || adoptRunning { owned = cluster }
            do {
                try await cluster.createServiceRole()
                try await cluster.createDatabase(config.databaseName)
            } catch {
                owned?.stop()
                throw error
            }
            clientConfiguration = cluster.clientConfiguration(database: config.databaseName)
            copyConnector = CopyOutConnector(configuration: clientConfiguration, sslMode: "disable")
            ownerConfiguration = cluster.clientConfiguration(database: config.databaseName, username: EmbeddedPostgres.superuser)
        }
        let connectTimeout = sessionTimeouts?.connect ?? SessionTimeouts().connect
        ownerConfiguration.options.connectTimeout = connectTimeout
        clientConfiguration.options.maximumConnections = config.maxConnections
        clientConfiguration.options.connectTimeout = connectTimeout
        // Room for an import's staging tables in memory; allocated only by sessions that use them.
        clientConfiguration.options.additionalStartupParameters = [("temp_buffers", "64MB")] + (sessionTimeouts?.startupParameters ?? [])
        var poolLogger = logger
        if let poolLogLevel { poolLogger.logLevel = poolLogLevel }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: poolLogger)
        let probeClient = Self.probe(clientConfiguration, logger: logger)
        let (replica, monitor) = try Self.replica(config, like: clientConfiguration, primaryProbe: probeClient, logger: logger)
        return Database(
            client: client,
            probeClient: probeClient,
            ownedCluster: owned,
            ownerConfiguration: ownerConfiguration,
            copyConnector: copyConnector,
            replica: replica,
            replicaMonitor: monitor
        )
    }

    /// The replica's pool (the primary's options and limits, its own address) and the monitor of
    /// its lag, with a one-connection pool of its own; nil without `DATABASE_REPLICA_URL`.
    private static func replica(
        _ config: AppConfig,
        like primary: PostgresClient.Configuration,
        primaryProbe: PostgresClient,
        logger: Logger
    ) throws -> (ReadRouter.Replica?, ReplicaLagMonitor?) {
        guard let url = config.databaseReplicaURL else { return (nil, nil) }
        var configuration = try DatabaseURL.configuration(from: url)
        configuration.options = primary.options
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        var monitorLogger = logger
        monitorLogger[metadataKey: "component"] = "replica-lag"
        // Silent for three looks (at least three seconds): bypassed, even if its query hangs.
        let lag = ReplicaLag(limit: config.replicaMaxLag, silence: max(.seconds(3), config.replicaLagInterval * 3))
        let monitor = ReplicaLagMonitor(
            primary: primaryProbe,
            replica: Self.probe(configuration, logger: logger),
            lag: lag,
            interval: config.replicaLagInterval,
            logger: monitorLogger
        )
        return (ReadRouter.Replica(client: client, copy: try CopyOutConnector(databaseURL: url), lag: lag), monitor)
    }

    /// A one-connection pool to the server `configuration` reaches, for health and lag looks that
    /// busy requests must not crowd out; it logs nothing below critical.
    private static func probe(_ configuration: PostgresClient.Configuration, logger: Logger) -> PostgresClient {
        var configuration = configuration
        configuration.options.maximumConnections = 1
        configuration.options.minimumConnections = 0
        var probeLogger = logger
        probeLogger.logLevel = .critical
        return PostgresClient(configuration: configuration, backgroundLogger: probeLogger)
    }

    /// Runs `body` with a client of its own that logs in as the schema's owner (migrations and the
    /// reference data load), closed when `body` returns.
    func withOwnerClient<T: Sendable>(logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var configuration = self.ownerConfiguration
        configuration.options.maximumConnections = 2
        var poolLogger = logger
        poolLogger.logLevel = .error
        let owner = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await owner.run() }
            defer { group.cancelAll() }
            return try await body(owner)
        }
    }

    /// Services to run, in start order: the cluster keeper (stops last), the pools, the replica's
    /// pools and its lag monitor.
    var services: [any Service] {
        [EmbeddedClusterKeeper(cluster: self.ownedCluster), self.client, self.probeClient]
            + self.replicaServices
    }

    /// The replica's pool, its monitor's pool and the monitor; none without a replica.
    private var replicaServices: [any Service] {
        guard let replica = self.replica, let monitor = self.replicaMonitor else { return [] }
        return [replica.client, monitor.replica, monitor]
    }

    /// Runs `body` with a running client, for one-shot CLI commands; stops what it started.
    /// `asOwner`: the client logs in as the schema's owner (for `jobmatch migrate`).
    public static func withClient<T: Sendable>(
        _ config: AppConfig,
        logger: Logger,
        asOwner: Bool = false,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        try await self.withClients(config, logger: logger) { owner, service in
            try await body(asOwner ? owner : service)
        }
    }

    /// Runs `body` with the owner's client (to migrate) and the service's client (for the work),
    /// for one-shot CLI commands; stops what it started.
    public static func withClients<T: Sendable>(
        _ config: AppConfig,
        logger: Logger,
        _ body: @Sendable (_ owner: PostgresClient, _ service: PostgresClient) async throws -> T
    ) async throws -> T {
        try await self.withDatabase(config, logger: logger) { owner, database in try await body(owner, database.client) }
    }

    /// As `withClients`, with the whole `Database` (its client and how to reach it with libpq).
    public static func withDatabase<T: Sendable>(
        _ config: AppConfig,
        logger: Logger,
        _ body: @Sendable (_ owner: PostgresClient, _ database: Database) async throws -> T
    ) async throws -> T {
        // The pool may warn that a lease came before run() started; harmless for one-shot commands.
        let database = try await Database.open(config, logger: logger, poolLogLevel: .error)
        defer { database.ownedCluster?.stop() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            defer { group.cancelAll() }
            return try await database.withOwnerClient(logger: logger) { owner in
                try await body(owner, database)
            }
        }
    }
}
