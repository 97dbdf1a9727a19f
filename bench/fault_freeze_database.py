#!/usr/bin/env python3
"""Fault: the database unreachable for 30 s (issue 8, item 6).

The embedded cluster listens only on a Unix socket, so "unreachable" is approximated by freezing
it: SIGSTOP to the postmaster and every process it started, SIGCONT `--freeze` seconds later. Like
dropped packets, connections then hang rather than being refused.

Load: a burst of vacancy POSTs (`--requests`, retried with the same key until acknowledged) from
`--threads` threads, plus a probe that starts one `GET /api/v1/vacancies?limit=1` every 0.5 s on its
own connection and thread (so one hung request does not hide the next). The service runs with
`DATABASE_MAX_CONNECTIONS=--max-connections`. Checks:
- once the service's gate has closed (`--gate` seconds without an answer to its probe), no request
  takes longer than `--bound` seconds: they get 503 problem+json at once; requests already waiting
  on the database when it froze get theirs when the gate closes, so none takes longer than
  `--gate` + `--bound` seconds;
- the service answers 2xx again within 10 s of SIGCONT;
- the service never holds more database connections than its limit plus its probe's one (its Unix sockets, sampled
  every 0.5 s with `ss` during the freeze, and `pg_stat_activity` after it);
- after retries, the same counts as `fault_kill_service.py`.
Exits 1 when a check fails; the measured hang is printed either way.

Usage: python3 bench/fault_freeze_database.py [--freeze 30] [--requests 3000] [--threads 4] [--max-connections 10] [--binary PATH]
"""
import argparse, http.client, os, signal, subprocess, sys, threading, time

from benchlib import (Client, Service, VacancyBurst, cluster_processes, debug_binary, latency_summary, make_employer, sql_value, check_clean_shutdown, conclude)


def service_sockets(pid):
    """Unix stream sockets the service holds (its only ones are its PostgreSQL connections)."""
    out = subprocess.run(["ss", "-xpn"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if f"pid={pid}," in line and line.startswith("u_str"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--freeze", type=float, default=30)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-connections", type=int, default=10)
    parser.add_argument("--bound", type=float, default=5, help="longest acceptable request once the service's gate has closed, seconds")
    parser.add_argument("--gate", type=float, default=3, help="the service's DATABASE_GATE_SECONDS (its default)")
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = debug_binary(args.binary)
    failures = []
    with Service(binary, prefix="jm-fault-freeze-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000",
                 DATABASE_MAX_CONNECTIONS=str(args.max_connections)) as service:
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        key, employer_id = make_employer(service, token)
        burst = VacancyBurst(service.port, key, args.requests, threads=args.threads, prefix="freeze", timeout=120)
        probes = []
        stop = [False]

        def probe_once():
            start = time.monotonic()
            try:
                reply = Client(service.port, timeout=120).request("GET", "/api/v1/vacancies?limit=1",
                                                                  headers={"Authorization": f"Bearer {key}"})
                probes.append((start, reply.seconds, reply.status, reply.headers.get("content-type")))
            except (OSError, http.client.HTTPException) as error:
                probes.append((start, time.monotonic() - start, type(error).__name__, None))

        def prober():
            threads = []
            while not stop[0]:
                t = threading.Thread(target=probe_once, daemon=True)
                t.start()
                threads.append(t)
                time.sleep(0.5)
            for t in threads:
                t.join(130)

        burst.start()
        while burst.acknowledged() < args.requests // 3:
            time.sleep(0.01)
        probe_thread = threading.Thread(target=prober, daemon=True)
        probe_thread.start()
        time.sleep(1)
        processes = cluster_processes(service)
        frozen_at = time.monotonic()
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        sockets = []
        while time.monotonic() - frozen_at < args.freeze:
            sockets.append(service_sockets(service.server.pid))
            time.sleep(0.5)
        for pid in processes:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        thawed = time.monotonic()
        after = []
        recovered = None
        while time.monotonic() - thawed < 60:
            time.sleep(0.1)
            ok = [p[0] + p[1] for p in list(probes) if p[0] >= thawed and isinstance(p[2], int) and p[2] < 300]
            ok += [a[0] + a[1] for a in list(burst.attempts) if a[0] >= thawed and a[2] == 201]
            if ok and recovered is None:
                recovered = min(ok) - thawed
            if recovered is not None and time.monotonic() - thawed > 3:
                break
        for _ in range(5):
            after.append(int(sql_value(service, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'jobmatch' "
                                                 "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")))
            time.sleep(0.5)
        finished = burst.join(240)
        stop[0] = True
        probe_thread.join(140)
        if not finished:
            failures.append("the burst did not finish")

        during = [(p[1], p[2], p[3]) for p in probes if frozen_at <= p[0] < thawed]
        during += [(a[1], a[2], None) for a in burst.attempts if frozen_at <= a[0] < thawed]
        # Requests that started once the service's probe had gone unanswered for --gate seconds must
        # be refused at once; those that started before get their 503 when the gate closes (a
        # write among them may still commit at the thaw: the 503 says so, and a retry with the same
        # Idempotency-Key replays it).
        closed_at = frozen_at + args.gate + 0.5
        in_flight = [p[1] for p in probes if frozen_at <= p[0] < closed_at] + [a[1] for a in burst.attempts if frozen_at <= a[0] < closed_at]
        during_closed = [(p[1], p[2], p[3]) for p in probes if closed_at <= p[0] < thawed]
        during_closed += [(a[1], a[2], None) for a in burst.attempts if closed_at <= a[0] < thawed]
        longest = max((d[0] for d in during_closed), default=0)
        statuses = {}
        for d in during:
            statuses[d[1]] = statuses.get(d[1], 0) + 1
        if max(in_flight, default=0) > args.gate + args.bound:
            failures.append(f"a request waiting on the database when it froze took {max(in_flight):.1f} s "
                            f"(bound: the gate's {args.gate:.0f} s + {args.bound:.0f} s)")
        if longest > args.bound:
            failures.append(f"requests hung after the gate closed: longest {longest:.1f} s "
                            f"(bound {args.bound:.0f} s); {sum(1 for d in during_closed if d[0] > args.bound)} over the bound")
        if not during_closed:
            failures.append("no request started while the gate was closed: nothing was checked")
        bad = [d for d in during if isinstance(d[1], int) and d[1] >= 300 and d[1] != 503]
        if bad:
            failures.append(f"{len(bad)} answers while frozen were not 503, e.g. {bad[:3]}")
        if recovered is None or recovered > 10:
            failures.append(f"no 2xx within 10 s of SIGCONT ({recovered})")
        # The pool's limit, plus the one connection of the service's database probe (its gate).
        if max(sockets + after, default=0) > args.max_connections + 1:
            failures.append(f"more connections than the limit: sockets {max(sockets)}, pg_stat_activity {max(after)}")
        checks, figures = burst.verify(service, employer_id)
        failures += checks
        print(f"fault_freeze_database: SIGSTOP of the postmaster and its {len(processes) - 1} children for {args.freeze:.0f} s "
              f"during {args.requests} POSTs ({args.threads} threads) and a GET probe every 0.5 s; DATABASE_MAX_CONNECTIONS {args.max_connections}")
        print(f"  started while frozen: {len(during)} requests, outcomes {dict(sorted(statuses.items(), key=str))}; "
              f"latency {latency_summary([d[0] for d in during])}")
        print(f"  after the gate closed ({args.gate:.0f} s into the freeze): {len(during_closed)} requests, "
              f"latency {latency_summary([d[0] for d in during_closed])}; in flight before it closed: {len(in_flight)}, "
              f"longest {max(in_flight, default=0):.1f} s (bound: the gate's {args.gate:.0f} s + {args.bound:.0f} s)")
        print(f"  first 2xx {recovered:.2f} s after SIGCONT" if recovered is not None else "  no 2xx after SIGCONT")
        print(f"  service's database sockets while frozen: max {max(sockets, default=0)}; "
              f"pg_stat_activity after: max {max(after, default=0)} (limit {args.max_connections} + 1 for the gate's probe)")
        print(f"  retries {burst.retries}; " + ", ".join(f"{k} {v}" for k, v in figures.items()))
        check_clean_shutdown(service, failures)
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
