import Configuration
import Testing

@testable import JobMatch

/// The replica's lag as `ReplicaLagMonitor` works it out from what it saw, and the settings.
@Suite("Replica lag")
struct ReplicaLagTests {
    static let second: UInt64 = 1_000_000_000

    @Test("a standby at the primary's position is caught up however old its last replayed commit")
    func caughtUpWhileIdle() {
        // setup
        let lag = ReplicaLag(limit: .seconds(30), silence: .seconds(3))
        // act: the primary idle for an hour, the standby at its position
        lag.primary(lsn: 500, now: 10 * Self.second)
        lag.standby(inRecovery: true, replayed: 500, replayDelay: 3600, now: 10 * Self.second)
        // verify
        #expect(lag.seconds(now: 11 * Self.second) == 1)
        #expect(lag.inUse(now: 11 * Self.second))
    }

    @Test("a standby behind grows its lag until it is past the limit; the replay delay bounds it under steady writes")
    func behind() {
        // setup
        let lag = ReplicaLag(limit: .seconds(30), silence: .seconds(100))
        lag.primary(lsn: 500, now: 10 * Self.second)
        lag.standby(inRecovery: true, replayed: 500, replayDelay: nil, now: 10 * Self.second)
        // act: replay stops while the primary writes on
        lag.primary(lsn: 900, now: 20 * Self.second)
        lag.standby(inRecovery: true, replayed: 500, replayDelay: 40, now: 20 * Self.second)
        // verify: behind since the last position it held (10 s), not the 40 s since its last commit
        #expect(lag.seconds(now: 20 * Self.second) == 10)
        #expect(lag.seconds(now: 41 * Self.second) == 31)
        #expect(!lag.inUse(now: 41 * Self.second))
        // act: under steady writes it never holds a position the monitor saw, but replays a commit 0.5 s old
        lag.primary(lsn: 1000, now: 42 * Self.second)
        lag.standby(inRecovery: true, replayed: 950, replayDelay: 0.5, now: 42 * Self.second)
        #expect(lag.seconds(now: 42 * Self.second) == 0.5)
        #expect(lag.inUse(now: 42 * Self.second))
    }

    @Test("unknown, so bypassed: before the first answer, unanswered, silent, or not in recovery")
    func unknown() {
        let lag = ReplicaLag(limit: .seconds(30), silence: .seconds(3))
        #expect(lag.seconds(now: Self.second) == nil)
        lag.primary(lsn: 1, now: Self.second)
        lag.standby(inRecovery: true, replayed: 1, replayDelay: nil, now: Self.second)
        #expect(lag.inUse(now: 2 * Self.second))
        // silent past the limit
        #expect(!lag.inUse(now: 5 * Self.second))
        lag.unanswered(now: 6 * Self.second)
        #expect(lag.seconds(now: 6 * Self.second) == nil)
        // promoted: no longer a standby
        lag.standby(inRecovery: false, replayed: nil, replayDelay: nil, now: 7 * Self.second)
        #expect(!lag.inUse(now: 7 * Self.second))
    }

    @Test("WAL positions read as PostgreSQL writes them")
    func positions() {
        #expect(ReplicaLag.lsn("16/B374D848") == 0x16_B374_D848)
        #expect(ReplicaLag.lsn("0/0") == 0)
        for bad in ["", "16", "x/1", "1/2/3"] { #expect(ReplicaLag.lsn(bad) == nil, "\(bad)") }
    }

    @Test("a malformed DATABASE_REPLICA_URL or lag limit stops the start, naming the setting")
    func settings() throws {
        func read(_ values: [String: String]) throws -> AppConfig {
            var config = AppConfig()
            try config.readReplica(ConfigReader(providers: [EnvironmentVariablesProvider(environmentVariables: values)]))
            return config
        }
        // unset: no replica, the documented default limit
        let plain = try read([:])
        #expect(plain.databaseReplicaURL == nil)
        #expect(plain.replicaMaxLag == .seconds(30))
        let set = try read(["DATABASE_REPLICA_URL": "postgres://svc@standby:5432/jobmatch", "DATABASE_REPLICA_MAX_LAG_SECONDS": "2.5"])
        #expect(set.databaseReplicaURL == "postgres://svc@standby:5432/jobmatch")
        #expect(set.replicaMaxLag == .milliseconds(2500))
        for (name, value) in [
            ("DATABASE_REPLICA_URL", "mysql://standby/jobmatch"), ("DATABASE_REPLICA_URL", "postgres://standby/x?sslmode=maybe"),
            ("DATABASE_REPLICA_MAX_LAG_SECONDS", "thirty"), ("DATABASE_REPLICA_MAX_LAG_SECONDS", "0"),
        ] {
            #expect(throws: AppConfig.InvalidSetting.self, "\(name)=\(value)") { try read([name: value]) }
            do { _ = try read([name: value]) } catch { #expect("\(error)".hasPrefix(name)) }
        }
    }
}
