#!/usr/bin/env python3
"""Concurrent hires and reversals (issue 8, "Prove it", item 4), at full size.

Seeds workers, vacancies with one to three slots and twelve referred workers per vacancy (bulk SQL),
then fires OPERATIONS random operations, CONCURRENCY at a time, each thread on its own keep-alive
connection: staff hires (`POST /api/staff/referrals/{id}/hire`), employer hires
(`POST /api/v1/referrals/{id}/hire`), reversals of hires and of other entries
(`POST /api/staff/placements/{id}/reverse`) and self-employment entries (`POST /api/staff/placements`)
for the same workers. Then checks:

- no answer other than the expected ones (2xx, or 409 for a full vacancy, a referral already hired,
  an entry already reversed); in particular no 5xx;
- every vacancy: slots_filled <= slots, slots_filled = its live hires (from the database) = the
  live hires the clients were told about;
- `GET /api/staff/progress` counts = an independent SQL recount (docs/counting.md: each person once
  per period, under their first live entry; reversed entries do not count; not-yet-started jobs do
  not count) = the count from the answers the clients received; also by channel, year and month.

Usage: python3 bench/concurrency.py [--operations 10000] [--concurrency 32] [--binary .build/release/jobmatch]
Builds the release binary first unless --binary is given. Exits non-zero when a check fails.
"""
import argparse, datetime, random, sys, threading, time
from collections import Counter, defaultdict

from benchlib import Client, Service, make_employer, release_binary, run

WORKERS, VACANCIES, REFERRALS_PER_VACANCY = 1500, 150, 12


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--operations", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--binary")
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    binary = release_binary(args.binary)

    with Service(binary, prefix="jm-bench-conc-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        key, employer = make_employer(service, token)
        psql = lambda sql: run(service.psql + ["-At", "-c", sql]).stdout
        psql(f"""
            INSERT INTO workers (full_name, birth_date, sex, ward_code)
                SELECT 'Người ' || g, DATE '1990-01-01', CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, '31321'
                FROM generate_series(1, {WORKERS}) g;
            INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date)
                SELECT {employer}, 'Thợ hàn ' || g, '7212', '31321', 1 + g % 3, DATE '2099-01-31' FROM generate_series(1, {VACANCIES}) g;
            INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts)
                SELECT v.id, w.id, 'referred', 0, '[]'::jsonb
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM vacancies) v
                CROSS JOIN generate_series(0, {REFERRALS_PER_VACANCY - 1}) k
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM workers) w
                  ON w.n = (v.n * {REFERRALS_PER_VACANCY} + k) % {WORKERS};
            """)
        referrals = [tuple(map(int, line.split("|"))) for line in psql("SELECT id, vacancy_id, worker_id FROM referrals ORDER BY id").split()]
        workers = [int(line) for line in psql("SELECT id FROM workers ORDER BY id").split()]
        worker_of = {r: w for r, _, w in referrals}
        vacancy_of = {r: v for r, v, _ in referrals}
        today = datetime.date.fromisoformat(psql("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date").strip())
        starts = ["2024-03-15", "2025-06-01", "2025-12-31", "2026-01-01", "2026-07-15", today.isoformat(),
                  (today + datetime.timedelta(days=30)).isoformat()]

        lock = threading.Lock()
        state = {"issued": 0, "hires": {}, "others": {}}
        tally, unexpected, latencies = Counter(), [], defaultdict(list)
        staff = {"Authorization": f"Bearer {token}"}
        employer_headers = {"Authorization": f"Bearer {key}"}

        def note(kind, reply=None):
            with lock:
                tally[kind] += 1
                if reply is not None:
                    latencies[kind.split(" ")[0]].append(reply.seconds)

        def operation(client, rng):
            start = rng.choice(starts)
            kind = rng.choices(["hire", "reverse_hire", "reverse_other", "self"], weights=[55, 10, 8, 27])[0]
            if kind == "hire":
                referral = rng.choice(referrals)[0]
                by_staff = rng.random() < 0.6
                reply = (client.request("POST", f"/api/staff/referrals/{referral}/hire", {"start_date": start}, staff) if by_staff else
                         client.request("POST", f"/api/v1/referrals/{referral}/hire", {"start_date": start, "wage_vnd": 7000000}, employer_headers))
                if reply.status == 200:
                    with lock:
                        if referral in state["hires"]:
                            unexpected.append(f"referral {referral} hired twice")
                        state["hires"][referral] = (worker_of[referral], start)
                    note("hire ok", reply)
                elif reply.status == 409:
                    note("hire refused(409)", reply)
                else:
                    unexpected.append(f"hire {referral}: {reply.status} {reply.body[:200]!r}")
            elif kind == "reverse_hire":
                with lock:
                    hired = sorted(state["hires"])
                if not hired:
                    return note("nothing-to-reverse")
                referral = rng.choice(hired)
                view = client.request("GET", f"/api/staff/referrals/{referral}", None, staff)
                if view.status != 200:
                    return unexpected.append(f"read referral {referral}: {view.status}")
                placement = view.json().get("placement_id")
                if placement is None:
                    return note("hire-already-reversed")
                reply = client.request("POST", f"/api/staff/placements/{placement}/reverse", {"reason": "Ghi nhầm người"}, staff)
                if reply.status == 201:
                    with lock:
                        if state["hires"].pop(referral, None) is None:
                            unexpected.append(f"hire of referral {referral} reversed twice")
                    note("reverse ok", reply)
                elif reply.status == 409:
                    note("reverse refused(409)", reply)
                else:
                    unexpected.append(f"reverse {placement}: {reply.status} {reply.body[:200]!r}")
            elif kind == "reverse_other":
                with lock:
                    others = sorted(state["others"])
                if not others:
                    return note("nothing-to-reverse")
                placement = rng.choice(others)
                reply = client.request("POST", f"/api/staff/placements/{placement}/reverse", {"reason": "Trùng"}, staff)
                if reply.status == 201:
                    with lock:
                        if state["others"].pop(placement, None) is None:
                            unexpected.append(f"placement {placement} reversed twice")
                    note("reverse ok", reply)
                elif reply.status == 409:
                    note("reverse refused(409)", reply)
                else:
                    unexpected.append(f"reverse {placement}: {reply.status} {reply.body[:200]!r}")
            else:
                worker = rng.choice(workers)
                day = min(start, today.isoformat())
                reply = client.request("POST", "/api/staff/placements",
                                       {"worker_id": worker, "channel": "self_employment", "start_date": day,
                                        "evidence": "Giấy xác nhận của UBND xã"}, staff)
                if reply.status == 201:
                    with lock:
                        state["others"][reply.json()["id"]] = (worker, day)
                    note("self-employment ok", reply)
                else:
                    unexpected.append(f"self-employment {worker}: {reply.status} {reply.body[:200]!r}")

        def lane(number):
            client, rng = Client(service.port), random.Random(args.seed * 1000 + number)
            while True:
                with lock:
                    if state["issued"] >= args.operations:
                        break
                    state["issued"] += 1
                try:
                    operation(client, rng)
                except Exception as error:  # a dropped connection is a finding too
                    unexpected.append(f"no answer: {error!r}")
            client.close()

        began = time.monotonic()
        threads = [threading.Thread(target=lane, args=(n,)) for n in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
        print(f"{args.operations} operations, {args.concurrency} at a time, in {elapsed:.1f} s ({args.operations / elapsed:.0f} operations/s)")
        print("answers: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
        for kind, values in sorted(latencies.items()):
            values.sort()
            print(f"  {kind}: p50 {values[len(values) // 2] * 1000:.1f} ms, p99 {values[int(len(values) * 0.99)] * 1000:.1f} ms")

        failures = list(unexpected)
        # Vacancies: never overfilled; slots_filled is the live hires, as the database and the answers both say.
        live = Counter(vacancy_of[r] for r in state["hires"])
        rows = psql("""
            SELECT v.id, v.slots, v.slots_filled,
                   (SELECT count(*) FROM placements p JOIN referrals r ON r.id = p.referral_id
                    WHERE r.vacancy_id = v.id AND p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.reverses_id = p.id))
            FROM vacancies v ORDER BY v.id""").split()
        full = 0
        for row in rows:
            vacancy, slots, filled, hires = map(int, row.split("|"))
            full += filled == slots
            if filled > slots or filled != hires or hires != live[vacancy]:
                failures.append(f"vacancy {vacancy}: slots {slots}, slots_filled {filled}, live hires {hires}, answers say {live[vacancy]}")
        print(f"vacancies: {len(rows)}, full at the end {full}, live hires {sum(live.values())}")

        # Progress = independent SQL recount = recount from the answers.
        progress = Client(service.port).request("GET", "/api/staff/progress", None, staff).json()
        targets = {t["key"]: t for t in progress["targets"]}
        for key_, first, last in [("jobs_2021_2025", "2021-01-01", "2025-12-31"), ("jobs_2026_2030", "2026-01-01", "2030-12-31")]:
            recount = int(psql(f"""
                WITH live AS (
                    SELECT p.id, p.worker_id, p.start_date FROM placements p LEFT JOIN placements r ON r.reverses_id = p.id
                    WHERE p.reverses_id IS NULL AND r.id IS NULL
                      AND p.start_date BETWEEN DATE '{first}' AND least(DATE '{last}', DATE '{today}'))
                SELECT count(DISTINCT worker_id) FROM live""").strip())
            by_month = dict((m, int(c)) for m, c in (line.split("|") for line in psql(f"""
                WITH live AS (
                    SELECT p.id, p.worker_id, p.start_date FROM placements p LEFT JOIN placements r ON r.reverses_id = p.id
                    WHERE p.reverses_id IS NULL AND r.id IS NULL
                      AND p.start_date BETWEEN DATE '{first}' AND least(DATE '{last}', DATE '{today}')),
                first AS (SELECT *, row_number() OVER (PARTITION BY worker_id ORDER BY start_date, id) AS n FROM live)
                SELECT to_char(start_date, 'YYYY-MM'), count(*) FROM first WHERE n = 1 GROUP BY 1""").split()))
            lo, hi = datetime.date.fromisoformat(first), min(datetime.date.fromisoformat(last), today)
            answers = len({w for w, d in list(state["hires"].values()) + list(state["others"].values())
                           if lo <= datetime.date.fromisoformat(d) <= hi})
            service_count = targets[key_]["count"]
            service_months = {m["month"]: m["count"] for m in targets[key_]["monthly"]}
            print(f"{key_}: service {service_count}, SQL recount {recount}, from the answers {answers}")
            if not (service_count == recount == answers):
                failures.append(f"{key_}: service {service_count}, SQL recount {recount}, answers {answers}")
            if service_months != by_month:
                failures.append(f"{key_}: monthly {service_months} != recount {by_month}")

        if failures:
            print(f"FAILED ({len(failures)}):\n  " + "\n  ".join(failures[:40]))
            sys.exit(1)
        print("OK: no unexpected answer, no overfilled vacancy, slots_filled = live hires, counts = recounts")


if __name__ == "__main__":
    main()
