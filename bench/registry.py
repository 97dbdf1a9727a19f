#!/usr/bin/env python3
"""Registry benchmark (registry issue, "Measured").

Seeds 500,000 synthetic workers, then prints:
  1. import of 100,000 CSV rows through `jobmatch import workers`, as a ratio to `psql \\copy` of the
     same file into the same table, `workers` (goal: at most 3x), and for scale into a bare table;
  2. a name search without diacritics through the HTTP API at 500,000 workers, median and p99, as a
     ratio to the same search as one SQL query through one psql session (goal: at most 1.5x), and the
     API's p99 against issue 21's goal (at most 100 ms).

Usage: python3 bench/registry.py [--workers 500000] [--queries 200] [--binary .build/release/jobmatch]
Builds the release binary first unless --binary is given. Everything runs on this machine: an
embedded cluster in a temporary home and the service on 127.0.0.1.
"""
import argparse, http.client, json, os, random, re, statistics, sys, time

from benchlib import percentile, timed_copy, captured_sql, Service, release_binary, run, record

SURNAMES = ["nguyen", "tran", "le", "pham", "huynh", "phan", "vo", "dang", "bui", "do"]
MIDDLE = ["van", "thi", "minh", "ngoc", "thanh", "huu"]
GIVEN = ["an", "binh", "hoa", "lan", "minh", "nam", "phuc", "thao", "trang", "tuan", "vy", "dung"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--binary")
    args = parser.parse_args()

    binary = release_binary(args.binary)
    with Service(binary) as service:
        home, env, port, psql = service.home, service.env, service.port, service.psql
        started = time.monotonic()
        service.command("seed", "--workers", str(args.workers))
        print(f"seeded {args.workers} workers in {time.monotonic() - started:.1f} s")
        csv_path = os.path.join(home, "import.csv")
        service.command("seed", "--workers", str(args.import_rows), "--start", str(args.workers), "--csv", csv_path)
        token = service.command("staff", "add", "bench", "--role", "viewer")
        service.start()

        # 1. Import vs \copy of the same file: into a bare table shaped like the file, and into the
        #    table the people end up in (`workers`, with its indexes and constraints; rolled back).
        run(psql + ["-c", "CREATE TABLE bench_copy (full_name text, cccd text, birth_date text, sex text, ward_code text, "
                          "legacy_ward_code text, phone text, ethnicity text, household_code text, head_name text, household_status text, "
                          "status_valid_from text, decision_ref text, occupation_codes text)"])
        bare_seconds = timed_copy(psql, f"\\copy bench_copy FROM '{csv_path}' CSV HEADER")
        workers_seconds = timed_copy(psql, "BEGIN;\n\\copy workers (full_name, cccd, birth_date, sex, ward_code, legacy_ward_code, phone) "
                                           f"FROM PROGRAM 'cut -d, -f1-7 {csv_path}' CSV HEADER\nROLLBACK;")
        t0 = time.monotonic()
        out = run([binary, "import", "workers", csv_path, "--home", home], env=env).stdout
        import_seconds = time.monotonic() - t0
        print(f"import {args.import_rows} rows: jobmatch {import_seconds:.2f} s   [{out.strip().splitlines()[0]}]")
        print(f"  psql \\copy into workers (same table): {workers_seconds:.2f} s, ratio {import_seconds / workers_seconds:.2f}x (goal <= 3x)")
        print(f"  psql \\copy into a bare table shaped like the file: {bare_seconds:.2f} s, ratio {import_seconds / bare_seconds:.1f}x")
        record(f"import {args.import_rows:,} CSV rows (`jobmatch import workers`)", f"{import_seconds:.2f} s",
               f"psql \\copy into workers {workers_seconds:.2f} s", f"{import_seconds / workers_seconds:.2f}", "<= 3", import_seconds / workers_seconds <= 3)

        # 2. Name search without diacritics: HTTP API vs the very SQL the API runs, taken from
        #    PostgreSQL's own log, run with the same values as one query through one psql session.
        rng = random.Random(7)
        names = [f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(args.queries)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        found = {}

        def search(name):
            conn.request("GET", "/api/staff/workers?limit=50&q=" + name.replace(" ", "%20"), headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200, response.status
            found[name] = len(json.loads(body)["workers"])

        # Untimed pass with the statement log on: it warms the caches and records the SQL.
        statements = captured_sql(psql, os.path.join(home, "log"), "WITH typed", lambda: [search(name) for name in names])
        missing = [name for name in names if name not in statements]
        if missing:
            raise SystemExit(f"no logged SQL for {missing[:3]}")
        api = []
        for name in names:
            t0 = time.monotonic()
            search(name)
            api.append((time.monotonic() - t0) * 1000)
        script = "\\timing on\n" + "".join(sql + ";\n" for name in names for sql in statements[name])
        timings = iter(float(line.split()[1]) for line in run(psql + ["-o", "/dev/null"], input=script).stdout.splitlines()
                       if line.startswith("Time:"))
        db = [sum(next(timings) for _ in statements[name]) for name in names]
        print(f"name search at {args.workers} workers ({args.queries} queries): API median {statistics.median(api):.1f} ms, "
              f"p99 {percentile(api, 99):.1f} ms; psql median {statistics.median(db):.1f} ms, p99 {percentile(db, 99):.1f} ms; "
              f"ratio median {statistics.median(api) / statistics.median(db):.2f}x, p99 {percentile(api, 99) / percentile(db, 99):.2f}x (goal <= 1.5x)")
        # The outcome, not only the time: how many names were typo-tolerant matches (two statements)
        # and how many answered nobody.
        fuzzy = sum(1 for name in names if len(statements[name]) > 1)
        print(f"  outcome: {fuzzy} of {len(names)} names matched nobody exactly and went typo-tolerant; "
              f"{sum(1 for name in names if found[name] == 0)} answered nobody; "
              f"a first page held {statistics.median(found.values()):.0f} people at the median")
        ratio = statistics.median(api) / statistics.median(db)
        record(f"name search at {args.workers:,} workers, median / p99", f"{statistics.median(api):.1f} / {percentile(api, 99):.1f} ms",
               f"psql {statistics.median(db):.1f} / {percentile(db, 99):.1f} ms", f"{ratio:.2f} / {percentile(api, 99) / percentile(db, 99):.2f}",
               "<= 1.5", ratio <= 1.5 and percentile(api, 99) / percentile(db, 99) <= 1.5)
        # Issue 21's goal for the same searches: a p99 of at most 100 ms through the API.
        record(f"name search at {args.workers:,} workers, p99 through the API", f"{percentile(api, 99):.1f} ms (worst {max(api):.1f})",
               f"psql p99 {percentile(db, 99):.1f} ms", "—", "<= 100 ms", percentile(api, 99) <= 100)

if __name__ == "__main__":
    sys.exit(main())
