#!/usr/bin/env python3
"""Matching benchmark (matching and placements issue, "Measured").

On `jobmatch seed --workers 500000 --vacancies 10000`, prints:
1. candidates for one vacancy through the HTTP API (`GET /api/staff/vacancies/{id}/candidates?limit=20`),
   median and p99 over 200 random vacancies, against the ranking query the API runs (taken from
   PostgreSQL's statement log with its values) run through one psql session in the same run;
2. the batch assignment of all open vacancies (`jobmatch match --all`): wall time, with the total
   score it reaches next to the greedy baseline's.

Usage: python3 bench/matching.py [--workers 500000] [--vacancies 10000] [--samples 200] [--binary PATH]
"""
import argparse, http.client, os, random, statistics, sys, time

from benchlib import Service, captured_sql, percentile, release_binary, run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    with Service(binary, prefix="jm-bench-match-") as service:
        t0 = time.monotonic()
        service.command("seed", "--workers", str(args.workers), "--vacancies", str(args.vacancies))
        print(f"seeded {args.workers} workers and {args.vacancies} vacancies in {time.monotonic() - t0:.0f} s")
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        run(service.psql + ["-c", "VACUUM ANALYZE"])
        ids = [int(x) for x in run(service.psql + ["-At", "-c", "SELECT id FROM vacancies WHERE status = 'open' ORDER BY id"]).stdout.split()]
        sample = random.Random(11).sample(ids, min(args.samples, len(ids)))
        conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=120)

        def candidates(vacancy):
            conn.request("GET", f"/api/staff/vacancies/{vacancy}/candidates?limit=20", headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status

        # Untimed pass with the statement log on: it warms the caches and records the SQL.
        statements = captured_sql(service.psql, os.path.join(service.home, "log"), "WITH v AS (",
                                  lambda: [candidates(v) for v in sample])
        missing = [v for v in sample if str(v) not in statements]
        if missing:
            raise SystemExit(f"no logged SQL for vacancies {missing[:3]}")
        api = []
        for vacancy in sample:
            t1 = time.monotonic()
            candidates(vacancy)
            api.append((time.monotonic() - t1) * 1000)
        # The API ranks the related workers first and everyone only when it must: psql runs the
        # statements it ran for each vacancy (logged during the warm-up pass), timed together.
        per_vacancy = [statements[str(v)] for v in sample]
        script = "\\timing on\n" + "".join(sql + ";\n" for group in per_vacancy for sql in group)
        times = [float(line.split()[1]) for line in run(service.psql + ["-o", "/dev/null"], input=script).stdout.splitlines()
                 if line.startswith("Time:")]
        db, position = [], 0
        for group in per_vacancy:
            db.append(sum(times[position:position + len(group)]))
            position += len(group)
        print(f"candidates for one vacancy ({len(sample)} vacancies): API median {statistics.median(api):.1f} ms, p99 {percentile(api, 99):.1f} ms; "
              f"the same ranking query in psql median {statistics.median(db):.1f} ms, p99 {percentile(db, 99):.1f} ms; "
              f"ratio median {statistics.median(api) / statistics.median(db):.2f}, p99 {percentile(api, 99) / percentile(db, 99):.2f} (goal <= 1.0)")
        t2 = time.monotonic()
        line = service.command("match", "--all")
        print(f"batch assignment of all open vacancies: {time.monotonic() - t2:.1f} s wall (goal < 60 s); {line}")


if __name__ == "__main__":
    sys.exit(main())
