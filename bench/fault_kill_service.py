#!/usr/bin/env python3
"""Fault: the service killed (SIGKILL) in the middle of a burst of vacancy POSTs (issue 8, item 1).

Sends `--requests` (10,000) `POST /api/v1/vacancies`, each with its own Idempotency-Key and
`reference`, from `--threads` client threads; SIGKILLs `jobmatch serve` at `--kills` random points
(seeded) and starts it again on the same home. Every request that got no 201 (connection refused
or reset, 409 while its first attempt is still held, 503) is sent again with the same key and
body until it is acknowledged. At the end: exactly `--requests` vacancies for the employer in SQL,
no reference twice, as many stored idempotency keys, every acknowledged id present under its
reference, and a replay of every key sent more than once (plus a random sample) answers 201 with
the first id and `Idempotent-Replayed: true`. Exits 1 when a check fails.

Usage: python3 bench/fault_kill_service.py [--requests 10000] [--threads 8] [--kills 2] [--seed 8] [--binary PATH]
"""
import argparse, random, signal, sys, time

from benchlib import (Service, VacancyBurst, debug_binary, latency_summary, make_employer, conclude)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = debug_binary(args.binary)
    rng = random.Random(args.seed)
    # Kill points: acknowledged counts spread over the burst, at least 10% apart.
    points = sorted(rng.sample(range(args.requests // 10, args.requests * 9 // 10, max(1, args.requests // 10)), args.kills))
    points = [p + rng.randrange(max(1, args.requests // 10)) for p in points]
    failures = []
    with Service(binary, prefix="jm-fault-kill-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        key, employer_id = make_employer(service, token)
        burst = VacancyBurst(service.port, key, args.requests, threads=args.threads, prefix=f"kill-{args.seed}")
        burst.start()
        kills = []
        for point in points:
            while burst.acknowledged() < point and time.monotonic() - burst.started < 240:
                time.sleep(0.005)
            killed_at = time.monotonic()
            acked_then = burst.acknowledged()
            service.server.send_signal(signal.SIGKILL)
            service.server.wait()
            service.start()
            kills.append((acked_then, time.monotonic() - killed_at))
        finished = burst.join(240)
        if not finished:
            failures.append("the burst did not finish within 240 s")
        elapsed = burst.finished - burst.started
        checks, figures = burst.verify(service, employer_id, seed=args.seed)
        failures += checks
        statuses = {}
        for _, _, outcome, _ in burst.attempts:
            statuses[outcome] = statuses.get(outcome, 0) + 1
        print(f"fault_kill_service: {args.requests} POSTs from {args.threads} threads in {elapsed:.1f} s "
              f"({args.requests / elapsed:.0f}/s), seed {args.seed}")
        for number, (acked_then, down) in enumerate(kills, 1):
            print(f"  kill {number}: SIGKILL after {acked_then} acknowledged; service healthy again {down:.1f} s later")
        print(f"  attempts {len(burst.attempts)}, retries {burst.retries}; outcomes {dict(sorted(statuses.items(), key=str))}")
        print(f"  latency of all attempts: {latency_summary([a[1] for a in burst.attempts])}")
        print("  " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
