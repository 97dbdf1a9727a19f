#!/usr/bin/env python3
"""Matching benchmark (matching and placements issue, "Measured").

On `jobmatch seed --workers 500000 --vacancies 10000`, prints:
1. candidates for one vacancy through the HTTP API (`GET /api/staff/vacancies/{id}/candidates?limit=20`),
   median and p99 over 200 random vacancies, once the service's candidate index has its copy of the
   eligible workers, against the best single SQL query for the same top 20 run through one psql
   session in the same run: the ranking statement the API ran (taken from PostgreSQL's statement log
   with its values) with its short list of workers taken out, so that it ranks everyone, as the
   service does without an index. The lists are compared too: the same workers in the same order;
2. the batch assignment of all open vacancies (`jobmatch match --all`): wall time, with the total
   score it reaches next to the greedy baseline's.

`--psql-samples N` runs the psql baseline for the first N of the sampled vacancies only (it takes
about 10 s a vacancy at the issue's size: 200 take half an hour); the API is still timed on all.

Usage: python3 bench/matching.py [--workers 500000] [--vacancies 10000] [--samples 200] [--psql-samples N] [--binary PATH]
"""
import argparse, http.client, json, os, random, re, statistics, sys, time

from benchlib import Service, captured_sql, percentile, release_binary, run, record, wait_for_index


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--psql-samples", type=int, help="vacancies for the psql baseline (default: all sampled)")
    parser.add_argument("--binary")
    parser.add_argument("--batch-only", action="store_true", help="skip the candidates part (to time the batch alone)")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    with Service(binary, prefix="jm-bench-match-") as service:
        t0 = time.monotonic()
        service.command("seed", "--workers", str(args.workers), "--vacancies", str(args.vacancies))
        print(f"seeded {args.workers} workers and {args.vacancies} vacancies in {time.monotonic() - t0:.0f} s")
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        run(service.psql + ["-c", "VACUUM ANALYZE"])
        wait_for_index(service, token)
        if not args.batch_only:
            candidates_part(service, token, args.samples, args.psql_samples)
        t2 = time.monotonic()
        line = service.command("match", "--all")
        seconds = time.monotonic() - t2
        print(f"batch assignment of all open vacancies: {seconds:.1f} s wall (goal < 60 s); {line}")
        record(f"batch matching, {args.vacancies:,} vacancies x {args.workers:,} workers", f"{seconds:.1f} s wall", "—", "—", "< 60 s", seconds < 60)


def candidates_part(service, token, samples, psql_samples=None):
    """Candidates for random vacancies through the API against the best single query in psql."""
    ids = [int(x) for x in run(service.psql + ["-At", "-c", "SELECT id FROM vacancies WHERE status = 'open' ORDER BY id"]).stdout.split()]
    sample = random.Random(11).sample(ids, min(samples, len(ids)))
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=120)

    def get(path):
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, response.status
        return body

    def candidates(vacancy):
        return [c["worker_id"] for c in json.loads(get(f"/api/staff/vacancies/{vacancy}/candidates?limit=20"))["candidates"]]


    # Untimed pass with the statement log on: it warms the caches and records the SQL.
    statements = captured_sql(service.psql, os.path.join(service.home, "log"), "WITH v AS (",
                              lambda: [candidates(v) for v in sample])
    missing = [v for v in sample if str(v) not in statements]
    if missing:
        raise SystemExit(f"no logged SQL for vacancies {missing[:3]}")
    api, lists = [], {}
    for vacancy in sample:
        t1 = time.monotonic()
        lists[vacancy] = candidates(vacancy)
        api.append((time.monotonic() - t1) * 1000)
    # The best single query: the statement the API ran, ranking everyone instead of its short list.
    short_list = re.compile(r"'\{[0-9,]*\}'::bigint\[\] IS NULL OR w\.id = ANY\('\{[0-9,]*\}'::bigint\[\]\)")
    baseline = {}
    timed_in_psql = sample[:psql_samples] if psql_samples else sample
    for vacancy in timed_in_psql:
        group = statements[str(vacancy)]
        assert len(group) == 1, f"vacancy {vacancy}: {len(group)} ranking statements"
        sql, replaced = short_list.subn("NULL::bigint[] IS NULL OR w.id = ANY(NULL::bigint[])", group[0])
        assert replaced == 1, f"vacancy {vacancy}: the short list was not found in the logged statement"
        baseline[vacancy] = sql
    script = "\\timing on\n" + "".join(baseline[v] + ";\n" for v in timed_in_psql)
    times = [float(line.split()[1]) for line in run(service.psql + ["-o", "/dev/null"], input=script).stdout.splitlines()
             if line.startswith("Time:")]
    db = times
    assert len(db) == len(timed_in_psql), (len(db), len(timed_in_psql))
    # The same lists: psql's top 20 (ids only) for a few vacancies against the API's.
    for vacancy in sample[:5]:
        ids = [int(x.split("|")[0]) for x in run(service.psql + ["-At"], input=baseline[vacancy] + ";\n").stdout.splitlines()]
        assert ids == lists[vacancy], f"vacancy {vacancy}: API {lists[vacancy]} != SQL {ids}"
    print(f"candidates for one vacancy ({len(sample)} vacancies, {len(db)} of them in psql): API median {statistics.median(api):.1f} ms, p99 {percentile(api, 99):.1f} ms; "
          f"the best single SQL query (ranking everyone) in psql median {statistics.median(db):.1f} ms, p99 {percentile(db, 99):.1f} ms; "
          f"ratio median {statistics.median(api) / statistics.median(db):.4f}, p99 {percentile(api, 99) / percentile(db, 99):.4f}; the top 20 of the first 5 vacancies identical (goal <= 1.0)")
    ratio = (statistics.median(api) / statistics.median(db), percentile(api, 99) / percentile(db, 99))
    record(f"one vacancy's candidates ({len(sample)} vacancies through the API, {len(db)} in psql), median / p99", f"{statistics.median(api):.1f} / {percentile(api, 99):.1f} ms",
           f"psql {statistics.median(db):.0f} / {percentile(db, 99):.0f} ms", f"{ratio[0]:.4f} / {ratio[1]:.4f}", "<= 1.0", max(ratio) <= 1.0)


if __name__ == "__main__":
    sys.exit(main())
