#!/usr/bin/env python3
"""Failover drill (issue 23 §1): a primary and a streaming standby on this machine, PgBouncer in
front, `jobmatch serve` against PgBouncer under a steady write load; the primary dies, the standby
is promoted, PgBouncer is repointed, and nothing acknowledged may be missing.

What it builds, all under one temporary directory (removed at the end, also on failure):
- two PostgreSQL 15 clusters initdb'd as `postgres` (TCP on 127.0.0.1 only, trust): the primary, and a
  standby made by `pg_basebackup -R` on the physical replication slot `standby1`; the primary has
  `synchronous_standby_names = 'standby1'` and `synchronous_commit = on` (with `--async`: no
  synchronous standby, the primary acknowledges commits once its own WAL is flushed);
- PgBouncer (Debian's `pgbouncer`) in session mode on its own port, `[databases] jobmatch` pointing at
  the primary; the schema made by `jobmatch migrate` through it (`DATABASE_OWNER_URL`: the owner
  `jobmatch_owner`; `DATABASE_URL`: `jobmatch_service`), then `jobmatch serve` on the same URLs;
- `VacancyBurst`: employer `POST /api/v1/vacancies`, each with its own Idempotency-Key, from
  `--threads` clients, each sent again with the same key until a 201.

The drill: after `--kill-after` acknowledged writes, SIGKILL the primary's postmaster and every
process it started at once (the machine dies: nothing of it finishes its work), wait `--detect`
seconds (the operator, or Patroni, deciding), `pg_ctl promote -w` the standby, rewrite PgBouncer's
`[databases]` line to the standby's port and `RELOAD` it. The service is not touched. With `--lag S`
the primary's WAL sender is stopped (SIGSTOP) S seconds before the death, as over a link that stalls:
synchronous replication then holds the commits of those seconds unacknowledged, asynchronous
replication acknowledges them and loses them.

Checks (exit 1 when one fails):
- every attempt got an HTTP answer (no connection error, no client timeout) within `--max-seconds`
  (5), and every answer that was not 201 was 503 (409: the same key still running);
- a write is acknowledged again within 15 s of the RELOAD;
- the burst finishes; no acknowledged write is missing on the new primary, or carries another id
  (with `--async` the number missing is reported, not a failure: it is what asynchronous
  replication costs);
- exact counts on the new primary: one vacancy per reference, as many vacancies and idempotency
  keys as acknowledged keys (less those lost, with `--async`), the employer's vacancies listed by
  the API (through PgBouncer) are exactly those SQL counts; `GET /api/staff/progress` (the placement
  ledger's report) answers as before the death; replays of every key sent more than
  once, and of 300 others, answer 201 with the first id and `Idempotent-Replayed: true`;
- the service exits 0 within 30 s of SIGTERM at the end.

Usage: python3 bench/failover_drill.py [--async] [--lag 0] [--requests 3000] [--threads 4] [--kill-after 1000]
       [--detect 5] [--seed 23] [--binary PATH]
"""
import argparse, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

from benchlib import (Client, Service, VacancyBurst, as_cluster_owner, check_clean_shutdown, conclude, debug_binary, latency_summary,
                      make_employer, pg_bin, pid_alive, run)

PGBOUNCER = "/usr/sbin/pgbouncer"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


class Drill:
    """The two clusters and PgBouncer under one temporary directory; `close()` stops them and removes it."""

    def __init__(self, synchronous):
        self.synchronous = synchronous
        self.dir = tempfile.mkdtemp(prefix="jm-failover-")
        os.chmod(self.dir, 0o755)
        self.primary, self.standby = os.path.join(self.dir, "primary"), os.path.join(self.dir, "standby")
        self.primary_port, self.standby_port, self.bouncer_port = free_port(), free_port(), free_port()
        self.bouncer_dir = os.path.join(self.dir, "pgbouncer")
        self.bouncer = None
        self.clusters = []

    # --- PostgreSQL ---------------------------------------------------------------------------

    def pg(self, name, *args):
        return run(as_cluster_owner([pg_bin(name), *args]), cwd="/")

    def psql(self, port, database="postgres", user="postgres"):
        return ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-q"]

    def sql(self, port, query, database="postgres"):
        return run(self.psql(port, database) + ["-At", "-c", query]).stdout.strip()

    def start_cluster(self, data):
        self.pg("pg_ctl", "start", "-D", data, "-l", os.path.join(data, "server.log"), "-w", "-t", "60")
        if data not in self.clusters:
            self.clusters.append(data)

    def make_primary(self):
        os.makedirs(self.primary)
        shutil.chown(self.primary, "postgres", "postgres")
        self.pg("initdb", "-D", self.primary, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
        settings = {
            "listen_addresses": "'127.0.0.1'", "port": str(self.primary_port), "unix_socket_directories": "''",
            "wal_level": "replica", "max_wal_senders": "5", "max_replication_slots": "5", "hot_standby": "on",
            "synchronous_commit": "on",
            "log_error_verbosity": "terse", "log_min_messages": "warning",
        }
        with open(os.path.join(self.primary, "postgresql.conf"), "a") as conf:
            conf.write("\n# failover drill\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        self.start_cluster(self.primary)
        # The roles of docs/operations.md ("Database roles"): an owner that is not a superuser, and
        # the service's role; the limits the service sends as startup parameters, which PgBouncer
        # drops, as the role's defaults.
        script = """
            CREATE ROLE jobmatch_owner LOGIN;
            CREATE ROLE jobmatch_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
            ALTER ROLE jobmatch_service SET statement_timeout = '30s';
            ALTER ROLE jobmatch_service SET lock_timeout = '10s';
            ALTER ROLE jobmatch_service SET idle_in_transaction_session_timeout = '60s';
            CREATE DATABASE jobmatch OWNER jobmatch_owner;
            SELECT pg_create_physical_replication_slot('standby1');
        """
        run(self.psql(self.primary_port), input=script)
        self.sql(self.primary_port, "ALTER SCHEMA public OWNER TO jobmatch_owner", database="jobmatch")

    def make_standby(self):
        os.makedirs(self.standby)
        shutil.chown(self.standby, "postgres", "postgres")
        os.chmod(self.standby, 0o700)
        self.pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres", "-D", self.standby,
                "-R", "-S", "standby1", "-X", "stream", "-c", "fast")
        # postgresql.auto.conf wins over the postgresql.conf copied from the primary: its own port,
        # its name (which synchronous_standby_names refers to), and no synchronous standby of its own
        # once promoted (there is none to wait for: a promoted standby that kept 'standby1' would
        # never acknowledge a commit).
        with open(os.path.join(self.standby, "postgresql.auto.conf"), "a") as conf:
            conf.write(f"port = {self.standby_port}\n"
                       f"primary_conninfo = 'host=127.0.0.1 port={self.primary_port} user=postgres application_name=standby1'\n"
                       "synchronous_standby_names = ''\n")
        self.start_cluster(self.standby)
        if self.synchronous:
            # Only now: with a synchronous standby named that is not connected, every commit waits.
            self.sql(self.primary_port, "ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
            self.sql(self.primary_port, "SELECT pg_reload_conf()")
        wanted = "sync" if self.synchronous else "async"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            state = self.sql(self.primary_port, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1' AND state = 'streaming'")
            if state == wanted:
                return
            time.sleep(0.2)
        raise SystemExit(f"the standby is not streaming as {wanted} after 30 s")

    def postmaster(self, data):
        try:
            with open(os.path.join(data, "postmaster.pid")) as f:
                return int(f.readline())
        except (FileNotFoundError, ValueError):
            return None

    def kill_primary(self):
        """SIGKILL the postmaster and every process it started, at once; returns the monotonic time."""
        master = self.postmaster(self.primary)
        children = [int(p) for p in run(["ps", "-o", "pid=", "--ppid", str(master)]).stdout.split()]
        killed = time.monotonic()
        for pid in [master] + children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return killed

    def promote(self):
        self.pg("pg_ctl", "promote", "-D", self.standby, "-w", "-t", "60")

    # --- PgBouncer ----------------------------------------------------------------------------

    def write_bouncer_config(self, port):
        settings = f"""[databases]
jobmatch = host=127.0.0.1 port={port} dbname=jobmatch

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.bouncer_port}
unix_socket_dir = {self.bouncer_dir}
auth_type = trust
auth_file = {self.bouncer_dir}/userlist.txt
admin_users = postgres
pool_mode = session
max_client_conn = 200
default_pool_size = 40
ignore_startup_parameters = extra_float_digits,statement_timeout,lock_timeout,idle_in_transaction_session_timeout,temp_buffers
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 10
server_check_delay = 0
logfile = {self.bouncer_dir}/pgbouncer.log
pidfile = {self.bouncer_dir}/pgbouncer.pid
"""
        path = os.path.join(self.bouncer_dir, "pgbouncer.ini")
        with open(path + ".new", "w") as f:
            f.write(settings)
        os.replace(path + ".new", path)
        shutil.chown(path, "postgres", "postgres")

    def start_bouncer(self):
        os.makedirs(self.bouncer_dir)
        shutil.chown(self.bouncer_dir, "postgres", "postgres")
        with open(os.path.join(self.bouncer_dir, "userlist.txt"), "w") as f:
            f.write('"jobmatch_service" ""\n"jobmatch_owner" ""\n"postgres" ""\n')
        self.write_bouncer_config(self.primary_port)
        self.bouncer = subprocess.Popen(as_cluster_owner([PGBOUNCER, os.path.join(self.bouncer_dir, "pgbouncer.ini")]), cwd="/",
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.bouncer_port)

    def repoint_bouncer(self):
        """`[databases]` to the standby's port, then RELOAD through PgBouncer's admin console."""
        self.write_bouncer_config(self.standby_port)
        run(["psql", "-h", "127.0.0.1", "-p", str(self.bouncer_port), "-U", "postgres", "-d", "pgbouncer", "-c", "RELOAD"])

    def url(self, user):
        return f"postgres://{user}@127.0.0.1:{self.bouncer_port}/jobmatch?sslmode=disable"

    # --- the end ------------------------------------------------------------------------------

    def close(self):
        if self.bouncer and self.bouncer.poll() is None:
            self.bouncer.terminate()
            try:
                self.bouncer.wait(10)
            except subprocess.TimeoutExpired:
                self.bouncer.kill()
                self.bouncer.wait()
        for data in self.clusters:
            if self.postmaster(data) and pid_alive(self.postmaster(data)):
                subprocess.run(as_cluster_owner([pg_bin("pg_ctl"), "stop", "-D", data, "-m", "immediate", "-w"]), cwd="/",
                               capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class LagSampler(threading.Thread):
    """Every quarter second until stopped: how far the standby's flushed WAL is behind the primary's
    (bytes), and PostgreSQL's own `flush_lag` (ms); what asynchronous replication can lose is at most
    what is behind at the moment of the death."""

    def __init__(self, drill):
        super().__init__(daemon=True)
        self.drill, self.samples, self.stopped = drill, [], False

    def run(self):
        query = ("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn), "
                 "coalesce(extract(epoch FROM flush_lag) * 1000, 0) FROM pg_stat_replication WHERE application_name = 'standby1'")
        while not self.stopped:
            try:
                line = self.drill.sql(self.drill.primary_port, query)
                if line:
                    behind, lag = line.split("|")
                    self.samples.append((int(float(behind)), float(lag)))
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.25)

    def summary(self):
        if not self.samples:
            return "no samples"
        behind, lag = [s[0] for s in self.samples], [s[1] for s in self.samples]
        return (f"{len(self.samples)} samples: standby's flushed WAL behind by median {sorted(behind)[len(behind) // 2]} B, max {max(behind)} B; "
                f"flush_lag median {sorted(lag)[len(lag) // 2]:.1f} ms, max {max(lag):.1f} ms")


def api_vacancy_ids(port, key):
    """Every vacancy of the employer, as the employer API lists them (page by page)."""
    client, ids, cursor = Client(port, timeout=30), [], None
    while True:
        path = "/api/v1/vacancies?limit=100" + (f"&cursor={cursor}" if cursor else "")
        reply = client.request("GET", path, headers={"Authorization": f"Bearer {key}"})
        if reply.status != 200:
            raise SystemExit(f"listing vacancies: {reply.status} {reply.body[:200]}")
        page = reply.json()
        ids += [v["id"] for v in page["vacancies"]]
        cursor = page.get("next_cursor") or page.get("nextCursor")
        if not cursor:
            return ids


def verify(drill, service, burst, key, employer_id, synchronous, seed):
    """The counts on the new primary; returns (failures, figures)."""
    failures, figures = [], {}
    acked = {k: v for k, v in burst.acked.items() if not k.startswith("!")}
    figures["acknowledged"] = len(acked)
    if len(acked) != burst.total:
        failures.append(f"{burst.total - len(acked)} requests never acknowledged")
    rows = run(drill.psql(drill.standby_port, "jobmatch") + ["-At", "-F", "\t", "-c",
               f"SELECT id, reference FROM vacancies WHERE employer_id = {employer_id}"]).stdout.split("\n")
    by_reference = {}
    for line in filter(None, rows):
        vid, reference = line.split("\t")
        by_reference.setdefault(reference, []).append(int(vid))
    count = sum(len(v) for v in by_reference.values())
    lost = sorted(k for k, (vid, _) in acked.items() if k not in by_reference)
    other = sorted(k for k, (vid, _) in acked.items() if k in by_reference and by_reference[k] != [vid])
    figures["acknowledged_but_missing"] = len(lost)
    figures["acknowledged_with_another_id"] = len(other)
    if lost and synchronous:
        failures.append(f"{len(lost)} acknowledged writes missing on the new primary, e.g. {lost[:3]}")
    if other:
        failures.append(f"{len(other)} acknowledged writes with another id, e.g. {other[:3]}")
    figures["vacancies_in_sql"] = count
    if count != len(acked) - len(lost):
        failures.append(f"{count} vacancies in the new primary, expected {len(acked) - len(lost)}")
    duplicates = {r: ids for r, ids in by_reference.items() if len(ids) > 1}
    figures["duplicate_references"] = len(duplicates)
    if duplicates:
        failures.append(f"{len(duplicates)} references with more than one vacancy, e.g. {list(duplicates.items())[:3]}")
    stored_keys = int(drill.sql(drill.standby_port, f"SELECT count(*) FROM idempotency_keys WHERE employer_id = {employer_id}", "jobmatch"))
    figures["idempotency_keys_in_sql"] = stored_keys
    if stored_keys != len(acked) - len(lost):
        failures.append(f"{stored_keys} idempotency keys on the new primary, expected {len(acked) - len(lost)}")
    listed = api_vacancy_ids(service.port, key)
    figures["vacancies_listed_by_the_api"] = len(listed)
    sql_ids = sorted(i for ids in by_reference.values() for i in ids)
    if sorted(listed) != sql_ids:
        failures.append(f"the API lists {len(listed)} vacancies, SQL on the new primary has {len(sql_ids)} (or other ids)")
    # Replays, as every fault bench checks them; lost keys are not replayed (a replay would make them anew).
    burst.check_replays(service, acked, failures, figures, seed=seed, lost=set(lost))
    return failures, figures, lost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--async", dest="asynchronous", action="store_true", help="asynchronous replication (no synchronous standby)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--kill-after", type=int, default=1000, help="acknowledged writes before the primary dies")
    parser.add_argument("--detect", type=float, default=5, help="seconds from the death to the promotion")
    parser.add_argument("--lag", type=float, default=0,
                        help="seconds the primary's WAL sender is stopped (SIGSTOP) just before the death: a stalled link")
    parser.add_argument("--max-seconds", type=float, default=5, help="longest answer allowed (plus --lag)")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--binary")
    args = parser.parse_args()
    if not os.path.exists(PGBOUNCER):
        raise SystemExit("pgbouncer not found (apt-get install pgbouncer)")
    binary = debug_binary(args.binary)
    synchronous = not args.asynchronous
    failures = []
    drill = Drill(synchronous)
    # A SIGTERM or Ctrl-C to the drill still cleans up (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        t0 = time.monotonic()
        drill.make_primary()
        drill.make_standby()
        drill.start_bouncer()
        with Service(binary, prefix="jm-failover-home-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000",
                     DATABASE_MAX_CONNECTIONS="10") as service:
            service.env["DATABASE_URL"] = drill.url("jobmatch_service")
            service.env["DATABASE_OWNER_URL"] = drill.url("jobmatch_owner")
            run([binary, "migrate", "--home", service.home], env=service.env)
            token = service.command("staff", "add", "bench", "--role", "officer")
            service.start()
            key, employer_id = make_employer(service, token)
            print(f"failover_drill ({'synchronous' if synchronous else 'asynchronous'} replication): "
                  f"set up in {time.monotonic() - t0:.1f} s; primary :{drill.primary_port}, standby :{drill.standby_port}, "
                  f"PgBouncer :{drill.bouncer_port}")
            progress_before = Client(service.port).request("GET", "/api/staff/progress", headers={"Authorization": f"Bearer {token}"})
            burst = VacancyBurst(service.port, key, args.requests, threads=args.threads, prefix=f"fo-{args.seed}", timeout=90)
            burst.start()
            sampler = LagSampler(drill)
            sampler.start()
            while burst.acknowledged() < args.kill_after and time.monotonic() - burst.started < 240:
                time.sleep(0.005)
            rate_before = burst.acknowledged() / (time.monotonic() - burst.started)
            sampler.stopped = True
            sampler.join(5)
            if args.lag:
                # The primary's WAL sender stopped: the standby gets nothing more, as over a link that
                # stalls (pausing the standby's receiver instead would not do: the kernel's socket
                # buffers would still take the WAL, and the receiver read it after the death).
                sender = int(drill.sql(drill.primary_port, "SELECT pid FROM pg_stat_replication WHERE application_name = 'standby1'"))
                os.kill(sender, signal.SIGSTOP)
                acked_before_lag = burst.acknowledged()
                time.sleep(args.lag)
            lsn = drill.sql(drill.primary_port, "SELECT pg_current_wal_lsn()")
            acked_at_kill = burst.acknowledged()
            killed = drill.kill_primary()
            time.sleep(0.5)
            received = drill.sql(drill.standby_port, "SELECT pg_last_wal_receive_lsn()")
            never_sent = int(float(drill.sql(drill.standby_port, f"SELECT pg_wal_lsn_diff('{lsn}', '{received}')")))
            time.sleep(max(0, args.detect - (time.monotonic() - killed)))
            promote_began = time.monotonic()
            drill.promote()
            promoted = time.monotonic()
            drill.repoint_bouncer()
            repointed = time.monotonic()
            recovered = None
            while recovered is None and time.monotonic() - repointed < 30:
                time.sleep(0.05)
                done = [a[0] + a[1] for a in list(burst.attempts) if a[0] >= killed and a[2] == 201]
                if done:
                    recovered = min(done)
            finished = burst.join(300)
            if not finished:
                failures.append("the burst did not finish")
            if service.server.poll() is not None:
                failures.append(f"the service exited (code {service.server.returncode})")
            # The window: attempts that ended after the kill and began before the first acknowledgement
            # of an attempt sent after it (those in flight at the kill included).
            window_end = recovered if recovered is not None else time.monotonic()
            in_window = [a for a in burst.attempts if a[0] + a[1] >= killed and a[0] < window_end]
            statuses = {}
            for a in in_window:
                statuses[a[2]] = statuses.get(a[2], 0) + 1
            errors = [a for a in burst.attempts if not isinstance(a[2], int)]
            wrong = [a for a in burst.attempts if isinstance(a[2], int) and a[2] not in (201, 409, 503)]
            longest = max(a[1] for a in burst.attempts)
            if errors:
                failures.append(f"{len(errors)} attempts got no HTTP answer, e.g. {errors[:3]}")
            if wrong:
                failures.append(f"{len(wrong)} answers neither 201, 409 nor 503, e.g. {wrong[:3]}")
            if longest > args.max_seconds + args.lag:
                failures.append(f"the longest attempt took {longest:.1f} s (allowed {args.max_seconds + args.lag} s)")
            if recovered is None or recovered - repointed > 15:
                failures.append("no write acknowledged within 15 s of the RELOAD")
            checks, figures, lost = verify(drill, service, burst, key, employer_id, synchronous, args.seed)
            failures += checks
            # The placement ledger's report (nothing placed during the drill): the same on the new primary.
            progress_after = Client(service.port).request("GET", "/api/staff/progress", headers={"Authorization": f"Bearer {token}"})
            figures["progress_same_after"] = progress_before.status == progress_after.status == 200 and progress_before.body == progress_after.body
            if not figures["progress_same_after"]:
                failures.append(f"GET /api/staff/progress differs after the failover: {progress_before.status} {progress_before.body[:200]} / "
                                f"{progress_after.status} {progress_after.body[:200]}")
            elapsed = burst.finished - burst.started
            print(f"  {args.requests} POSTs from {args.threads} threads in {elapsed:.1f} s; {rate_before:.0f} acknowledged/s before the kill")
            print(f"  SIGKILL of the primary (postmaster and children) after {acked_at_kill} acknowledged (its WAL at {lsn}, the standby had {received}: {max(0, never_sent)} B never arrived"
                  f"{f', its WAL sender stopped {args.lag} s before, meanwhile {acked_at_kill - acked_before_lag} acknowledged' if args.lag else ''}); "
                  f"promotion began {promote_began - killed:.1f} s after, pg_ctl promote took {promoted - promote_began:.2f} s, "
                  f"PgBouncer repointed and reloaded {repointed - promoted:.2f} s later")
            if recovered is not None:
                print(f"  writes failed for {recovered - killed:.1f} s (kill to the first 201 of a request sent after it); "
                      f"first 201 {recovered - repointed:.2f} s after the RELOAD")
            print(f"  attempts in that window: {len(in_window)}, outcomes {dict(sorted(statuses.items(), key=str))}; "
                  f"latency {latency_summary([a[1] for a in in_window])}")
            print(f"  replication before the kill: {sampler.summary()}")
            print(f"  longest attempt of the whole run {longest:.2f} s; retries {burst.retries}")
            print(f"  acknowledged writes missing on the new primary: {len(lost)}" + (f" ({', '.join(lost[:10])})" if lost else ""))
            print("  " + ", ".join(f"{k} {v}" for k, v in figures.items()))
            check_clean_shutdown(service, failures)
    finally:
        drill.close()
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
