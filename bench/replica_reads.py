#!/usr/bin/env python3
"""Reads on a standby (issue 23 §2, "Measure"): the employer POST rate on the primary with and
without the period export running against the streaming standby (`DATABASE_REPLICA_URL`).

What it builds, under the service's temporary home (removed at the end, also on failure): the
embedded cluster as the primary, seeded with `--placements` placements over 2021-2025 (the seed of
`exports.py`); a standby made from it with `pg_basebackup -R` on a Unix socket of its own; then
`jobmatch serve` on the primary with `DATABASE_REPLICA_URL` pointing at the standby.

The runs, `--seconds` each, with `wrk` (`employer_api.py`'s script: a distinct Idempotency-Key per
POST) at `--connections`:
- POSTs alone;
- POSTs while one client downloads the 2021-2025 placement export (CSV) again and again; the
  service must say it read the standby (`jobmatch_replica_in_use 1` before and after, and the
  standby's `pg_stat_database` shows the export's reads).
Prints the POST rate with the export over the rate without (goal: at least 0.9).

With `--reads batch`, batches of proposals one after another (`POST /api/staff/matching/batches`,
after a first one untimed): each reads every eligible worker's facts on the standby, then ranks and
solves what is still open in the service. With
`--reads copy` the read is the candidate copy's whole read instead (every candidate's matching
facts, the read the batch also makes), on a population of `jobmatch seed --workers`: a change note
that may reach anyone, again and again, each time until the service's
`jobmatch_candidate_index_reads_total` on the standby (or the primary) counts one more.

With `--on-primary` the service has no replica and the export reads the primary (the comparison).

With `--pin` the standby (and the client downloading the export) run on core 1 and the primary, the
service and `wrk` on core 0, in both runs: the nearest this one machine comes to the standby on a
machine of its own.

With `--reads spin --pin` core 1 runs a busy loop and nothing else (no database, no service): the
control, what one busy core costs the other on this machine whatever runs there.

With `--reader-instance` (export reads only) a second `jobmatch serve` answers the exports, on the
same primary (`DATABASE_URL`) and standby, as `docs/scaling.md` advises for staff's reports: with
`--pin` it runs on core 1 beside the standby, so neither the export's database work nor its
formatting shares the POSTs' core. It runs without the candidate copy, the export schedule and
retention (a reports instance's settings).

Usage: python3 bench/replica_reads.py [--placements 300000] [--workers 180000] [--seconds 20] [--connections 8] [--reads export|copy|batch] [--on-primary] [--pin] [--reader-instance] [--binary PATH]
Needs wrk. Uses the debug binary unless --binary is given (say which in the figures).
"""
import argparse, os, shutil, subprocess, sys, tempfile, threading, time, types, urllib.request

from benchlib import Service, as_cluster_owner, debug_binary, make_employer, pg_bin, record, run, start_cluster, wait_healthy, wait_until_idle
from employer_api import wrk
from exports import SEED


def metric(service, token, name):
    request = urllib.request.Request(f"http://127.0.0.1:{service.port}/metrics", headers={"Authorization": f"Bearer {token}"})
    for line in urllib.request.urlopen(request, timeout=30).read().decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def wait_for_metric(service, token, name, value, seconds=120):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if metric(service, token, name) == value:
            return
        time.sleep(0.2)
    raise SystemExit(f"{name} never became {value}")


class ReadLoop:
    """Calls `read_once` again and again on a thread of its own until stopped (on `cpus` only, when
    given: the department's client is not on the primary's machine); counts the reads and their seconds."""

    def __init__(self, cpus=None):
        self.cpus = cpus
        self.stop = threading.Event()
        self.durations, self.errors = [], []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        if self.cpus:  # this thread only
            os.sched_setaffinity(0, self.cpus)
        while not self.stop.is_set():
            try:
                self.durations.append(self.read_once())
            except Exception as error:  # a failed read is reported, not retried silently
                self.errors.append(repr(error))
                time.sleep(1)


class ExportLoop(ReadLoop):
    """Downloads the period export again and again until stopped."""

    def __init__(self, port, token, cpus=None):
        super().__init__(cpus)
        self.port, self.token = port, token

    def read_once(self):
        """One whole download; returns its seconds."""
        path = "/api/staff/exports/placements?period=2021-2025&as_of=2026-01-31&format=csv"
        started = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=600) as reply:
            while reply.read(1 << 20):
                pass
        return time.monotonic() - started


class CopyReadLoop(ReadLoop):
    """Makes the service read its whole candidate copy (the full read of every worker's matching
    facts) again and again until stopped: a change note that may reach anyone, then the wait until
    `jobmatch_candidate_index_reads_total` on the server read counts one more. Counts them and their seconds."""

    def __init__(self, service, token, on_primary, cpus=None):
        super().__init__(cpus)
        self.service, self.token = service, token
        self.name = 'jobmatch_candidate_index_reads_total{server="%s"}' % ("primary" if on_primary else "replica")

    def read_once(self):
        """One whole copy read; returns its seconds (from the note to the counter's step)."""
        before = metric(self.service, self.token, self.name) or 0
        started = time.monotonic()
        run(self.service.psql, input="INSERT INTO matching_changes (worker_id) VALUES (NULL);")
        while (metric(self.service, self.token, self.name) or 0) <= before:
            if time.monotonic() - started > 600:
                raise RuntimeError("the copy was not read again within 10 minutes")
            time.sleep(0.05)
        return time.monotonic() - started


class SpinLoop(ReadLoop):
    """A busy loop in a process of its own on `cpus`, a second at a time, touching no database: the control."""

    def read_once(self):
        started = time.monotonic()
        code = "import time\nend = time.monotonic() + 1\nwhile time.monotonic() < end: pass\n"
        subprocess.run([sys.executable, "-c", code], check=True,
                       preexec_fn=(lambda: os.sched_setaffinity(0, self.cpus)) if self.cpus else None)
        return time.monotonic() - started


class BatchLoop(ReadLoop):
    """Runs `POST /api/staff/matching/batches` again and again until stopped: each reads every
    eligible worker's facts (on the standby while it is in use) and solves what is still open."""

    def __init__(self, port, token, cpus=None):
        super().__init__(cpus)
        self.port, self.token = port, token

    def read_once(self):
        """One batch; returns its seconds as the client saw them."""
        started = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/staff/matching/batches", data=b"{}", method="POST",
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as reply:
            reply.read()
        return time.monotonic() - started


def start_reader(binary, service, standby_socket, cpus=None):
    """A second `jobmatch serve` on the same primary and standby, for the exports (on `cpus` only,
    when given); waits for its /healthz."""
    reader = types.SimpleNamespace(port=service.port + 1, server=None)
    env = dict(service.env, DATABASE_URL=f"postgres://jobmatch_service@localhost/jobmatch?host={service.socket_dir}",
               DATABASE_REPLICA_URL=f"postgres://jobmatch_service@localhost/jobmatch?host={standby_socket}",
               CANDIDATE_INDEX="false", EXPORT_SCHEDULE="false", RETENTION="false")
    reader.server = subprocess.Popen([binary, "serve", "--home", service.home, "--port", str(reader.port)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    wait_healthy(reader.port, "the second instance")
    return reader


def cpu_seconds(pid):
    """User and system CPU seconds process `pid` has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def standby_reads(socket_dir):
    """Blocks read and hit in the standby's `jobmatch` database so far."""
    out = run(["psql", "-h", socket_dir, "-U", "jobmatch", "-d", "jobmatch", "-At", "-c",
               "SELECT blks_read + blks_hit FROM pg_stat_database WHERE datname = 'jobmatch'"]).stdout.strip()
    return int(out or 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--placements", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=180_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--binary")
    parser.add_argument("--on-primary", action="store_true", help="no DATABASE_REPLICA_URL: the export reads the primary (for comparison)")
    parser.add_argument("--reads", choices=["export", "copy", "batch", "spin"], default="export",
                        help="what runs on the replica during the load: the period export, the candidate copy's whole read, "
                             "or batches of proposals (their read of every worker's facts)")
    parser.add_argument("--pin", action="store_true",
                        help="the standby and the export's client on core 1, everything else on core 0: two machines of one core each")
    parser.add_argument("--reader-instance", action="store_true",
                        help="a second service instance answers the exports (on core 1 with --pin)")
    args = parser.parse_args()
    if args.reader_instance and (args.reads != "export" or args.on_primary):
        raise SystemExit("--reader-instance is for the export on the standby")
    if args.pin and len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("--pin needs two cores")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    binary = debug_binary(args.binary)
    reader = None
    with Service(binary, prefix="jm-bench-replica-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        standby = os.path.join(service.home, "standby")
        standby_socket = tempfile.mkdtemp(prefix="jm-sb-")
        if os.geteuid() == 0:
            shutil.chown(standby_socket, "postgres", "postgres")
        try:
            service.command("migrate")
            t0 = time.monotonic()
            if args.reads in ("copy", "batch"):
                # The realistic population (docs/seed.md): most workers are candidates, so the copy holds them.
                service.command("seed", "--workers", str(args.workers), "--vacancies", str(max(100, args.workers // 50)))
                start_cluster(service)
                print(f"seeded {args.workers} workers (jobmatch seed) in {time.monotonic() - t0:.0f} s")
            else:
                start_cluster(service)
                run(service.psql, input=SEED.format(households=args.workers // 2, workers=args.workers, placements=args.placements))
                print(f"seeded {args.placements} placements for {args.workers} workers in {time.monotonic() - t0:.0f} s")
            os.makedirs(standby, mode=0o700)
            if os.geteuid() == 0:
                shutil.chown(standby, "postgres", "postgres")
            run(as_cluster_owner([pg_bin("pg_basebackup"), "-h", service.socket_dir, "-U", "jobmatch", "-D", standby,
                                  "-R", "-X", "stream", "-c", "fast"]), cwd="/")
            # As deploy/standby/standby.conf: replay never cancels a long export.
            with open(os.path.join(standby, "postgresql.auto.conf"), "a") as conf:
                conf.write("hot_standby_feedback = on\n")
            start_cluster(service, data_dir=standby, socket_dir=standby_socket, log_file=os.path.join(service.home, "log", "standby.log"),
                          cpus="1" if args.pin else None)
            if args.pin:
                # The primary again, on core 0 with the service and wrk (they inherit this process's core).
                run(as_cluster_owner([pg_bin("pg_ctl"), "stop", "-D", os.path.join(service.home, "pgdata"), "-m", "fast", "-w"]), cwd="/")
                start_cluster(service, cpus="0")
                os.sched_setaffinity(0, {0})
            if not args.on_primary:
                service.env["DATABASE_REPLICA_URL"] = f"postgres://jobmatch_service@localhost/jobmatch?host={standby_socket}"
            token = service.command("staff", "add", "bench", "--role", "officer")
            service.start()
            key, _ = make_employer(service, token)
            if not args.on_primary:
                wait_for_metric(service, token, "jobmatch_replica_in_use", 1)
            print(f"the service idle {wait_until_idle(service):.0f} s after its start")
            export_port = service.port
            if args.reader_instance:
                reader = start_reader(binary, service, standby_socket, cpus={1} if args.pin else None)
                export_port = reader.port
                wait_for_metric(reader, token, "jobmatch_replica_in_use", 1)
            # Untimed: warms both clusters' caches and the service.
            if args.reads == "export":
                print(f"one period export, warming: {ExportLoop(export_port, token).read_once():.1f} s")
            wrk(service.port, key, args.connections, 5, service.home)

            cpu = cpu_seconds(service.server.pid)
            alone, alone_p99, alone_errors, _ = wrk(service.port, key, args.connections, args.seconds, service.home)
            alone_cpu, cpu = cpu_seconds(service.server.pid) - cpu, cpu_seconds(service.server.pid)
            print(f"POST alone: {alone:.0f}/s, p99 {alone_p99:.0f} ms, {alone_errors} errors; the service's CPU {alone_cpu:.1f} s")

            before = standby_reads(standby_socket)
            if args.reads == "spin":
                loop = SpinLoop(cpus={1} if args.pin else None)
            elif args.reads == "batch":
                print(f"the first batch (proposes for every slot it can), untimed: {BatchLoop(service.port, token).read_once():.1f} s")
                loop = BatchLoop(service.port, token, cpus={1} if args.pin else None)
            elif args.reads == "copy":
                print(f"one whole copy read, warming: {CopyReadLoop(service, token, args.on_primary).read_once():.1f} s")
                loop = CopyReadLoop(service, token, args.on_primary, cpus={1} if args.pin else None)
            else:
                loop = ExportLoop(export_port, token, cpus={1} if args.pin else None)
            loop.thread.start()
            time.sleep(1)
            cpu = cpu_seconds(service.server.pid)
            busy, busy_p99, busy_errors, _ = wrk(service.port, key, args.connections, args.seconds, service.home)
            busy_cpu = cpu_seconds(service.server.pid) - cpu
            loop.stop.set()
            loop.thread.join(timeout=600)
            read_on_standby = standby_reads(standby_socket) - before
            in_use = metric(service, token, "jobmatch_replica_in_use")
            lag = metric(service, token, "jobmatch_replica_lag_seconds")
            exports = len(loop.durations)
            where = (("primary" if args.on_primary else "standby") + (" (one core each)" if args.pin else "")
                     + (", answered by a second instance" if args.reader_instance else ""))
            what = {"export": "the period export", "copy": "the candidate copy's whole read",
                    "batch": "batches reading every worker's facts", "spin": "a busy loop (no database)"}[args.reads]
            print(f"POST with {what} on the {where}: {busy:.0f}/s, p99 {busy_p99:.0f} ms, {busy_errors} errors; "
                  f"{exports} reads of {', '.join(f'{d:.1f}' for d in loop.durations)} s, {len(loop.errors)} failed; "
                  f"standby blocks read meanwhile {read_on_standby}; replica in use {in_use}, lag {lag}; the service's CPU {busy_cpu:.1f} s")
            lost = (alone - busy) * args.seconds / max(1, exports)
            print(f"POSTs not served per read: {lost:.0f} ({exports} reads in {args.seconds} s)")
            ratio = busy / alone
            met = ratio >= 0.9 and exports > 0 and not loop.errors and (in_use == 1 or args.on_primary)
            record(f"employer POST while {what} reads the {where} ({args.placements:,} placements, {args.workers:,} workers)",
                   f"{busy:.0f}/s", f"alone {alone:.0f}/s", f"{ratio:.2f}", ">= 0.9", met)
            print(f"\nratio (POST rate with {what} on the {where} / alone): {ratio:.2f} (goal >= 0.9): {'met' if met else 'NOT met'}")
            return 0 if met else 1
        finally:
            if reader is not None:
                reader.server.terminate()
                reader.server.wait(timeout=60)
            if service.server:
                service.server.terminate()
                service.server.wait(timeout=60)
                service.server = None
            for data in (standby, os.path.join(service.home, "pgdata")):
                if os.path.exists(os.path.join(data, "postmaster.pid")):
                    run(as_cluster_owner([pg_bin("pg_ctl"), "stop", "-D", data, "-m", "fast", "-w"]), cwd="/")
            shutil.rmtree(standby_socket, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
