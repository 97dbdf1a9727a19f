#!/usr/bin/env python3
"""Backup and restore drill (issue 8, item 8), as `docs/operations.md` describes it.

Seeds data through the staff and employer APIs (households, workers with consent, an employer and
its vacancies, referrals, hires, placements of other channels and a reversal), then, with the
service still running, takes `pg_dump -Fc` of the embedded cluster's database over its socket;
creates a fresh cluster in a new home with the bundled `initdb` (the flags `jobmatch` uses),
starts it with `pg_ctl`, restores with `pg_restore --create`, starts `jobmatch serve` on the new
home (it adopts the running cluster) and compares, original against restored:
`GET /api/staff/progress?as_of=...` (the whole document), the row count of every table, and every
sequence's position. Finally it registers a worker on the restored service (ids continue).
Exits 1 when anything differs.

Usage: python3 bench/backup_restore.py [--workers 60] [--binary PATH]
"""
import argparse, os, random, shutil, sys, time

from benchlib import (Client, Service, as_cluster_owner, debug_binary, make_employer, pg_bin, run, start_cluster, conclude)

AS_OF = time.strftime("%Y-%m-%d")


def cccd(rng, year, sex):
    century = (0 if year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"093{century}{year % 100:02d}{rng.randrange(10**6):06d}"


def seed(service, token, workers, rng):
    staff = Client(service.port)
    auth = {"Authorization": f"Bearer {token}"}

    def post(path, body, headers=auth, expect=(200, 201)):
        reply = staff.request("POST", path, body, headers)
        assert reply.status in expect, (path, reply.status, reply.body[:300])
        return reply.json()

    households = [post("/api/staff/households", {"head_name": f"Chủ hộ {i}", "ward_code": "31321", "status": status,
                                                  "status_valid_from": "2025-01-01"})["id"]
                  for i, status in enumerate(["poor", "near_poor", "poor", "recently_escaped_poverty", "none"])]
    worker_ids, used = [], set()
    for i in range(workers):
        year, sex = rng.randrange(1975, 2006), rng.choice(["male", "female"])
        number = cccd(rng, year, sex)
        while number in used:
            number = cccd(rng, year, sex)
        used.add(number)
        body = {"full_name": f"Người lao động {i}", "cccd": number, "birth_date": f"{year}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}",
                "sex": sex, "ward_code": "31321", "occupation_codes": [rng.choice(["7212", "7533", "8121"])],
                "household_id": rng.choice(households), "consents": ["referral"]}
        worker_ids.append(post("/api/staff/workers", body)["id"])
    key, employer_id = make_employer(service, token)
    employer = {"Authorization": f"Bearer {key}"}
    vacancies = [post("/api/v1/vacancies", {"reference": f"R-{i}", "title": "Thợ hàn", "occupation_code": "7212", "ward_code": "31321",
                                            "slots": 10, "closing_date": "2099-01-31"}, {**employer, "Idempotency-Key": f"seed-{i}"})["id"]
                 for i in range(3)]
    referrals, hires = 0, 0
    for n, worker in enumerate(worker_ids[: workers // 3]):
        reply = staff.request("POST", "/api/staff/referrals", {"vacancy_id": vacancies[n % 3], "worker_id": worker}, auth)
        if reply.status != 201:
            continue
        referrals += 1
        if n % 2 == 0:
            post(f"/api/staff/referrals/{reply.json()['id']}/hire", {"start_date": "2026-11-0" + str(1 + n % 9), "wage_vnd": 7000000})
            hires += 1
    def other_placement(n, worker):
        channel = rng.choice(["job_fair", "self_employment", "independent"])
        contract = "self_employment" if channel == "self_employment" else "indefinite"  # required since issue 20
        return post("/api/staff/placements", {"worker_id": worker, "channel": channel, "contract_type": contract,
                                              "start_date": f"2025-0{1 + n % 9}-15", "evidence": f"Biên bản {n}"})["id"]
    placements = [other_placement(n, worker) for n, worker in enumerate(worker_ids[workers // 3: workers // 3 + workers // 4])]
    post(f"/api/staff/placements/{placements[0]}/reverse", {"reason": "Ghi nhầm người"})
    return {"workers": len(worker_ids), "households": len(households), "vacancies": len(vacancies), "referrals": referrals,
            "hires": hires, "other placements": len(placements), "reversals": 1}


def snapshot(service, token):
    progress = Client(service.port).request("GET", f"/api/staff/progress?as_of={AS_OF}", headers={"Authorization": f"Bearer {token}"})
    assert progress.status == 200, progress.body[:300]
    tables = run(service.psql + ["-At", "-c", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"]).stdout.split()
    counts = dict(line.split("|") for line in run(service.psql + ["-At", "-c", " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM {t}" for t in tables)]).stdout.split())
    sequences = dict(line.split("|") for line in run(service.psql + ["-At", "-c",
        "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"]).stdout.split())
    return progress.json(), counts, sequences


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=60)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = debug_binary(args.binary)
    rng = random.Random(8)
    failures = []
    with Service(binary, prefix="jm-backup-") as original:
        token = original.command("staff", "add", "bench", "--role", "officer")
        original.start()
        seeded = seed(original, token, args.workers, rng)
        before = snapshot(original, token)
        dump = os.path.join(original.home, "jobmatch.dump")
        started = time.monotonic()
        # The backup, as in docs/operations.md: online, over the embedded cluster's socket.
        run(["pg_dump", "-h", original.socket_dir, "-U", "jobmatch", "-Fc", "-f", dump, "jobmatch"])
        dump_seconds, dump_size = time.monotonic() - started, os.path.getsize(dump)

        with Service(binary, prefix="jm-restore-") as restored:
            restored.port = original.port + 1
            # A fresh cluster made the way jobmatch makes one, owned by the account that runs PostgreSQL.
            for sub in ("pgdata", "run", "log"):
                os.makedirs(os.path.join(restored.home, sub), mode=0o700)
                if os.geteuid() == 0:
                    shutil.chown(os.path.join(restored.home, sub), os.environ.get("JOBMATCH_PG_ACCOUNT", "postgres"))
            started = time.monotonic()
            run(as_cluster_owner([pg_bin("initdb"), "-D", os.path.join(restored.home, "pgdata"), "-U", "jobmatch", "--auth=trust",
                                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"]), cwd="/")
            start_cluster(restored)
            os.chmod(dump, 0o644)
            run(["pg_restore", "-h", restored.socket_dir, "-U", "jobmatch", "-d", "postgres", "--create", "--exit-on-error", dump])
            restore_seconds = time.monotonic() - started
            restored.start()
            after = snapshot(restored, token)
            if before[0] != after[0]:
                diff = [k for k in set(before[0]) | set(after[0]) if before[0].get(k) != after[0].get(k)]
                failures.append(f"GET /api/staff/progress differs in {diff}")
            table_diff = {t: (before[1].get(t), after[1].get(t)) for t in set(before[1]) | set(after[1]) if before[1].get(t) != after[1].get(t)}
            if table_diff:
                failures.append(f"row counts differ: {table_diff}")
            sequence_diff = {s: (before[2].get(s), after[2].get(s)) for s in set(before[2]) | set(after[2]) if before[2].get(s) != after[2].get(s)}
            if sequence_diff:
                failures.append(f"sequences differ: {sequence_diff}")
            # The restored service takes new work, with ids after the old ones.
            new_worker = Client(restored.port).request("POST", "/api/staff/workers", {
                "full_name": "Người mới", "cccd": cccd(rng, 1995, "female"), "birth_date": "1995-03-03", "sex": "female",
                "ward_code": "31321", "occupation_codes": ["7212"]}, {"Authorization": f"Bearer {token}"})
            if new_worker.status != 201 or new_worker.json()["id"] <= int(before[1]["workers"]):
                failures.append(f"a new worker on the restored service: {new_worker.status} {new_worker.body[:200]}")
            jobs = {t["key"]: t["count"] for t in before[0].get("targets", [])}
            print(f"backup_restore: seeded {', '.join(f'{v} {k}' for k, v in seeded.items())}")
            print(f"  pg_dump -Fc (online) {dump_seconds:.2f} s, {dump_size / 1024:.0f} KiB; initdb + pg_ctl start + pg_restore --create "
                  f"{restore_seconds:.2f} s")
            print(f"  progress as of {AS_OF}: {jobs} original, "
                  f"{ {t['key']: t['count'] for t in after[0].get('targets', [])} } restored")
            interesting = ["households", "workers", "vacancies", "referrals", "referral_events", "placements", "audit_log", "idempotency_keys"]
            print("  rows (original = restored): " + ", ".join(f"{t} {before[1].get(t)}={after[1].get(t)}" for t in interesting))
            print(f"  {len(before[1])} tables and {len(before[2])} sequences compared; "
                  f"{len(table_diff)} tables and {len(sequence_diff)} sequences differ")
            print(f"  new worker on the restored service: {new_worker.status}, id {new_worker.json().get('id') if new_worker.status == 201 else '-'}")
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
