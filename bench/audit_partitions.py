#!/usr/bin/env python3
"""Audit log benchmark (issue 23, section 3: "who touched whom" over 10 million audit rows).

Fills the audit log with 10,000,000 entries over the 60 months before this one (straight into the
partitioned table with `psql` and generate_series; the monthly partitions are made first with the
migration's own `partition_create_month`), then reads records' histories through the service's
API (`GET /api/staff/audit?entity=worker&entity_id=N`, admin token, the read itself audited) and
the same SELECT in psql (`\\timing`, one session), on the same records. Prints the median and
worst of each and their ratio (goal: every API read under one second).

Usage: python3 bench/audit_partitions.py [--rows 10000000] [--records 40] [--binary PATH]
"""
import argparse, re, sys, time

from benchlib import Client, Service, record, release_binary, run, sql_value, wait_until_idle

SEED = """
SELECT partition_create_month('audit_log', (date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') - make_interval(months => m))::date)
FROM generate_series(1, 60) m;
SELECT setseed(0.23);
-- 70% about workers (200,000 of them, about 35 entries each), the rest about other records; 50
-- staff accounts and some employers as actors; an edit's images on one entry in five.
INSERT INTO audit_log (actor_kind, actor_id, action, entity, entity_id, before, after, created_at)
SELECT CASE WHEN g % 20 = 0 THEN 'employer' ELSE 'staff' END, 1 + (g % 50),
       (ARRAY['view', 'update', 'create', 'view', 'read_personal_data'])[1 + (g % 5)],
       CASE WHEN g % 10 < 7 THEN 'worker' WHEN g % 10 = 7 THEN 'referral' WHEN g % 10 = 8 THEN 'vacancy' ELSE 'household' END,
       (1 + floor(random() * 200000))::bigint::text,
       CASE WHEN g % 5 = 1 THEN jsonb_build_object('phone', '09' || lpad((g % 100000000)::text, 8, '0')) END,
       CASE WHEN g % 5 = 1 THEN jsonb_build_object('phone', '08' || lpad((g % 100000000)::text, 8, '0')) END,
       now() - random() * interval '1800 days'
FROM generate_series(1, {rows}) g;
VACUUM ANALYZE audit_log;
CHECKPOINT;
"""

# The SELECT of `AuditTrail.history` (Sources/JobMatch/Security/AuditTrail.swift), values inlined.
HISTORY = """SELECT to_char(a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS'), a.actor_kind,
       CASE a.actor_kind WHEN 'staff' THEN u.username WHEN 'employer' THEN 'employer:' || a.actor_id END,
       a.action, a.before::text, a.after::text
FROM audit_log a LEFT JOIN staff_users u ON a.actor_kind = 'staff' AND u.id = a.actor_id
WHERE a.entity = 'worker' AND a.entity_id = '{id}'
ORDER BY a.id DESC LIMIT 500;"""


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def psql_times(service, ids):
    """Milliseconds of each history SELECT, in one psql session with \\timing."""
    script = "\\timing on\n" + "\n".join(HISTORY.format(id=i) for i in ids) + "\n"
    out = run(service.psql + ["-o", "/dev/null"], input=script).stdout
    times = [float(t) for t in re.findall(r"^Time: ([0-9.]+) ms", out, re.M)]
    assert len(times) == len(ids), out[-500:]
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    with Service(binary, prefix="jm-bench-audit-", RETENTION="false") as service:
        service.command("migrate")
        token = service.command("staff", "add", "bench", "--role", "admin")
        service.start()
        t0 = time.monotonic()
        run(service.psql, input=SEED.format(rows=args.rows))
        print(f"seeded {args.rows:,} audit rows in {time.monotonic() - t0:.0f} s; "
              f"{sql_value(service, 'SELECT count(*) FROM pg_inherits WHERE inhparent = ' + chr(39) + 'audit_log' + chr(39) + '::regclass')} "
              f"partitions, {int(sql_value(service, 'SELECT pg_total_relation_size(' + chr(39) + 'audit_log' + chr(39) + ')')) / 1e9:.2f} GB "
              f"(parent; partitions: {int(sql_value(service, 'SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = ' + chr(39) + 'audit_log' + chr(39) + '::regclass')) / 1e9:.2f} GB)")
        print(f"the service idle {wait_until_idle(service):.0f} s after the seed")
        ids = [1 + (i * 4999) % 200000 for i in range(args.records)]
        entries = [int(sql_value(service, f"SELECT count(*) FROM audit_log WHERE entity = 'worker' AND entity_id = '{i}'")) for i in ids[:5]]
        print(f"entries per record (first five): {entries}")
        # Untimed: the first reads of these records' index pages, for both alike.
        psql_times(service, ids)
        api = []
        for i in ids:
            reply = Client(service.port).request("GET", f"/api/staff/audit?entity=worker&entity_id={i}", None,
                                                 {"Authorization": f"Bearer {token}"})
            assert reply.status == 200, (reply.status, reply.body[:200])
            api.append(reply.seconds * 1000)
        tool = psql_times(service, ids)
        ratio = median(api) / median(tool)
        print(f"history of one worker over {args.rows:,} audit rows, {len(ids)} records: "
              f"API median {median(api):.1f} ms, worst {max(api):.1f} ms; psql median {median(tool):.1f} ms, worst {max(tool):.1f} ms; "
              f"ratio of medians {ratio:.2f}; goal every API read < 1000 ms: {'met' if max(api) < 1000 else 'NOT met'}")
        plan = run(service.psql + ["-At", "-c", "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + HISTORY.format(id=ids[0])]).stdout
        print("plan of one read (psql):\n" + "\n".join(plan.splitlines()[:12]) + "\n...\n" + "\n".join(plan.splitlines()[-2:]))
        record(f"audit history of one worker, {args.rows:,} rows", f"{median(api):.1f} ms (worst {max(api):.1f})",
               f"psql {median(tool):.1f} ms", f"{ratio:.2f}", "< 1000 ms", max(api) < 1000)


if __name__ == "__main__":
    sys.exit(main())
