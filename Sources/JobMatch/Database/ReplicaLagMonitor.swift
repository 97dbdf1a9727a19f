import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Measures the replica's lag every `interval` (`ReplicaLag`): the primary's WAL position on the
/// primary's probe pool, then the standby's replay position and delay on a one-connection pool of
/// its own (so that busy exports never make the replica look silent). Shows it in `/metrics` as
/// `jobmatch_replica_lag_seconds` (-1 while unknown) and `jobmatch_replica_in_use` (1 or 0), and
/// logs each change of where the reads go.
struct ReplicaLagMonitor: Service {
    let primary: PostgresClient
    let replica: PostgresClient
    let lag: ReplicaLag
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.measureUntilCancelled() }
                group.addTask { await self.publishUntilCancelled() }
            }
        }
    }

    private func measureUntilCancelled() async {
        while !Task.isCancelled {
            await self.measure()
            try? await Task.sleep(for: self.interval)
        }
    }

    /// One look: the primary first, so that a standby found at or past that position held
    /// everything the primary had then.
    func measure() async {
        do {
            if let text = try await self.primary.query("SELECT pg_current_wal_lsn()::text", logger: self.logger).first(String.self),
                let lsn = ReplicaLag.lsn(text)
            {
                self.lag.primary(lsn: lsn)
            }
        } catch {
            // The primary is not answering: no new position, so the lag can only grow.
        }
        do {
            let rows = try await self.replica.query(
                """
                SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
                       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
                """,
                logger: self.logger
            )
            guard let (inRecovery, replayed, delay) = try await rows.decode((Bool, String?, Double?).self).first(where: { _ in true }) else {
                self.lag.unanswered()
                return
            }
            self.lag.standby(inRecovery: inRecovery, replayed: replayed.flatMap(ReplicaLag.lsn), replayDelay: delay)
        } catch {
            self.lag.unanswered()
        }
    }

    /// Shows the lag every `interval`, whether or not the last look has come back.
    private func publishUntilCancelled() async {
        let lagGauge = Gauge(label: "jobmatch_replica_lag_seconds")
        let inUseGauge = Gauge(label: "jobmatch_replica_in_use")
        var wasInUse = false
        while !Task.isCancelled {
            let seconds = self.lag.seconds()
            let inUse = self.lag.inUse()
            lagGauge.record(seconds ?? -1)
            inUseGauge.record(inUse ? 1 : 0)
            if inUse != wasInUse {
                if inUse {
                    self.logger.notice("Full reads go to the replica", metadata: ["lag_seconds": "\(seconds ?? -1)"])
                } else {
                    self.logger.warning(
                        "Full reads go to the primary: the replica is behind or not answering",
                        metadata: ["lag_seconds": "\(seconds.map { "\($0)" } ?? "unknown")"]
                    )
                }
                wasInUse = inUse
            }
            try? await Task.sleep(for: min(self.interval, .seconds(1)))
        }
    }
}
