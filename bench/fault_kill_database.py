#!/usr/bin/env python3
"""Fault: the embedded PostgreSQL killed (SIGKILL of the postmaster) during a burst of vacancy
POSTs (issue 8, item 2).

`jobmatch serve` does not supervise its embedded cluster (it starts it, or adopts a running one, at
start, and stops it at shutdown; `Database.swift`), so this script brings the database back itself
with `pg_ctl start` on the same data directory and socket, the options `EmbeddedPostgres` uses,
after `--down` seconds (once the killed postmaster's backends have exited: a new postmaster refuses
to start while they hold the old shared memory).

While the database is down a probe thread sends `GET /api/v1/vacancies?limit=1` every 0.2 s and the
burst keeps retrying its POSTs. Checks:
- every request that started while the database was down got a complete answer within 5 s, and
  every non-2xx answer was a 503 `application/problem+json` with `Retry-After`;
- the service answers 2xx again within 10 s of `pg_ctl start` returning (by itself: nothing is
  restarted on its side);
- after retries, the same counts as `fault_kill_service.py`: exactly `--requests` vacancies, no
  reference twice, every acknowledged write present, replays give the first answer.
Exits 1 when a check fails.

Usage: python3 bench/fault_kill_database.py [--requests 10000] [--threads 8] [--down 10] [--seed 8] [--binary PATH]
"""
import argparse, http.client, os, random, signal, sys, threading, time

from benchlib import (Client, Service, VacancyBurst, cluster_processes, debug_binary, latency_summary, make_employer, pid_alive, start_cluster, check_clean_shutdown, conclude)


class Probe(threading.Thread):
    """GET every `interval` seconds; records (start, seconds, status or error, content type, retry-after)."""

    def __init__(self, port, key, interval=0.2):
        super().__init__(daemon=True)
        self.port, self.key, self.interval = port, key, interval
        self.samples, self.stopped = [], False

    def run(self):
        client = Client(self.port, timeout=90)
        while not self.stopped:
            start = time.monotonic()
            try:
                reply = client.request("GET", "/api/v1/vacancies?limit=1", headers={"Authorization": f"Bearer {self.key}"})
                self.samples.append((start, reply.seconds, reply.status, reply.headers.get("content-type"), reply.headers.get("retry-after")))
            except (OSError, http.client.HTTPException) as error:
                self.samples.append((start, time.monotonic() - start, type(error).__name__, None, None))
            time.sleep(max(0, self.interval - (time.monotonic() - start)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--down", type=float, default=10, help="seconds the database stays down")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = debug_binary(args.binary)
    rng = random.Random(args.seed)
    kill_point = rng.randrange(args.requests // 4, args.requests * 3 // 4)
    failures = []
    with Service(binary, prefix="jm-fault-db-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        key, employer_id = make_employer(service, token)
        burst = VacancyBurst(service.port, key, args.requests, threads=args.threads, prefix=f"db-{args.seed}", timeout=90)
        burst.start()
        while burst.acknowledged() < kill_point and time.monotonic() - burst.started < 240:
            time.sleep(0.005)
        probe = Probe(service.port, key)
        probe.start()
        time.sleep(0.5)
        processes = cluster_processes(service)
        acked_at_kill = burst.acknowledged()
        killed = time.monotonic()
        os.kill(processes[0], signal.SIGKILL)
        time.sleep(args.down)
        # The old backends notice their postmaster's death and exit; a new one cannot start before.
        while any(pid_alive(p) for p in processes) and time.monotonic() - killed < args.down + 20:
            time.sleep(0.1)
        leftovers = [p for p in processes if pid_alive(p)]
        if leftovers:
            failures.append(f"backends of the killed postmaster still alive after 20 s: {leftovers}")
            for pid in leftovers:
                os.kill(pid, signal.SIGKILL)
            time.sleep(1)
        restart_began = time.monotonic()
        start_cluster(service)
        back = time.monotonic()
        # Recovery: the first 2xx of the probe or the burst that started after the database was back.
        recovered = None
        while recovered is None and time.monotonic() - back < 30:
            time.sleep(0.05)
            done = [s[0] + s[1] for s in probe.samples if s[0] >= back and isinstance(s[2], int) and s[2] < 300]
            done += [a[0] + a[1] for a in list(burst.attempts) if a[0] >= back and a[2] == 201]
            if done:
                recovered = min(done) - back
        server_alive = service.server.poll() is None
        finished = burst.join(300)
        probe.stopped = True
        probe.join(5)
        if not server_alive:
            failures.append(f"the service exited (code {service.server.returncode}) when the database went away")
        if not finished:
            failures.append("the burst did not finish")

        # Everything in flight while the database was down (kill to pg_ctl start returning), including
        # requests that began just before the kill.
        down_requests = [(s[1], s[2], s[3], s[4]) for s in probe.samples if s[0] < back and s[0] + s[1] > killed]
        down_requests += [(a[1], a[2], None, None) for a in burst.attempts if a[0] < back and a[0] + a[1] > killed]
        slow = [r for r in down_requests if r[0] > 5]
        errors = [r for r in down_requests if not isinstance(r[1], int)]
        probe_down = [s for s in probe.samples if killed <= s[0] < back]
        bad_problem = [s for s in probe_down if isinstance(s[2], int) and s[2] >= 300 and
                       (s[2] != 503 or s[3] != "application/problem+json" or not s[4])]
        statuses = {}
        for r in down_requests:
            statuses[r[1]] = statuses.get(r[1], 0) + 1
        if slow:
            failures.append(f"{len(slow)} requests in flight while the database was down took more than 5 s (max {max(r[0] for r in slow):.1f} s)")
        if errors:
            failures.append(f"{len(errors)} requests got no HTTP answer while the database was down")
        if bad_problem:
            failures.append(f"{len(bad_problem)} answers while down were not 503 problem+json with Retry-After, e.g. {bad_problem[:2]}")
        if recovered is None or recovered > 10:
            failures.append(f"no 2xx within 10 s of the database's return ({recovered})")
        checks, figures = burst.verify(service, employer_id, seed=args.seed)
        failures += checks
        elapsed = burst.finished - burst.started
        print(f"fault_kill_database: {args.requests} POSTs from {args.threads} threads in {elapsed:.1f} s, seed {args.seed}")
        print(f"  SIGKILL postmaster after {acked_at_kill} acknowledged; down {restart_began - killed:.1f} s "
              f"(pg_ctl start took {back - restart_began:.1f} s)")
        print(f"  longest attempt of the whole run {max(a[1] for a in burst.attempts):.1f} s (client timeout 90 s)")
        print(f"  in flight while down: {len(down_requests)} requests, outcomes {dict(sorted(statuses.items(), key=str))}; "
              f"latency {latency_summary([r[0] for r in down_requests])}")
        print(f"  first 2xx {recovered:.2f} s after the database was back" if recovered is not None else "  no recovery seen")
        print(f"  retries {burst.retries}; " + ", ".join(f"{k} {v}" for k, v in figures.items()))
        check_clean_shutdown(service, failures)
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
