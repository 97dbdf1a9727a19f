#!/usr/bin/env python3
"""Matching benchmark (issue 18: matching that fills every slot it can, fast at any size).

Seeds `jobmatch seed --workers N --vacancies M`, starts the service, vacuums, analyses and
checkpoints the seed (a database in steady use, not one still writing out its load), waits until its
candidate index has its copy, then measures and `record`s (one row each in bench/run-all's table):

1. memory of the service's copy: `jobmatch_candidate_index_bytes` / `jobmatch_candidate_index_workers`
   from `/metrics` (goal <= 100 bytes a worker), and the process's resident memory for information;
2. the batch, `jobmatch match --all --json`: slots given a worker against the most that can be
   (goal 100%), the whole command's wall time (goal < 10 s at 500,000 workers, < 40 s at 2,000,000),
   the optimality certificate (violations 0); then, up to 1,000,000 workers, the same batch through
   the service (`POST /api/staff/matching/batches`, to the last byte of its answer, goal < 10 s) after
   the command's proposals are deleted, which must give the same proposals;
3. one vacancy's candidates through the API (`GET /api/staff/vacancies/{id}/candidates?limit=20`),
   median and p99 over the sampled open vacancies at steady state, and over the minute after each of
   a 100,000-row `jobmatch import workers`, a weight change (`PUT /api/staff/matching/weights`) and a
   day change (`JOBMATCH_TODAY_FILE`); each against the best indexed SQL design for the same top 20
   (`matching_baseline.py`, built here in the same cluster, brought up to date after each event,
   timed in psql on the same vacancies), whose lists must be the API's, worker for worker
   (goals: API p99 <= 1.0x the SQL p99, API median <= 2.0x the SQL median).

Parts the binary does not have yet (`--json`, the bytes gauge, the day file) print "not available in
this binary" and record that instead of a figure.

Usage:
  python3 bench/matching.py                                  # 500,000 workers, 10,000 vacancies
  python3 bench/matching.py --workers 2000000 --vacancies 40000 --no-events   # the big batch (and steady lists)
  python3 bench/matching.py --workers 20000 --vacancies 300 --samples 20 --event-seconds 10 --import-rows 2000
Options: --samples N (200), --event-seconds S (60), --import-rows N (100,000), --no-events,
--batch-only, --no-batch, --full-ranking N (also time the service's old whole-registry statement
in psql for N vacancies), --binary PATH.
"""
import argparse, datetime, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, time

from benchlib import Client, Service, captured_sql, percentile, release_binary, run, record, wait_for_index, wait_until_idle
import matching_baseline as baseline

NOT_AVAILABLE = "not available in this binary"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=500_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--event-seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--no-events", action="store_true", help="steady-state lists only (no import, weight or day change)")
    parser.add_argument("--batch-only", action="store_true", help="skip the candidates part")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch")
    parser.add_argument("--full-ranking", type=int, default=0, metavar="N",
                        help="also time the service's old whole-registry ranking statement in psql for N vacancies")
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    size = f"{args.workers:,} workers / {args.vacancies:,} vacancies"
    day_file = os.path.join(tempfile.mkdtemp(prefix="jm-bench-day-"), "today")
    os.chmod(os.path.dirname(day_file), 0o755)
    today = vietnam_today()
    write_day(day_file, today)
    failures = []
    with Service(binary, prefix="jm-bench-match-", JOBMATCH_TODAY_FILE=day_file) as service:
        t0 = time.monotonic()
        try:
            service.command("seed", "--workers", str(args.workers), "--vacancies", str(args.vacancies))
        except subprocess.CalledProcessError as error:
            lines = (error.stderr or error.stdout or "?").strip().splitlines()
            reason = next((line.strip() for line in lines if line.strip().startswith("Error:")), lines[-1].strip())
            print(f"seeding {size}: {NOT_AVAILABLE} ({reason})")
            record(f"matching at {size}", NOT_AVAILABLE, "—", "—", "seeded", False)
            shutil.rmtree(os.path.dirname(day_file), ignore_errors=True)
            return 0
        print(f"seeded {size} in {time.monotonic() - t0:.0f} s")
        token = service.command("staff", "add", "bench-admin", "--role", "admin")
        service.start()
        rss_started = rss_mb(service.server.pid)
        # The seed's own aftermath (hint bits, the visibility map, half a gigabyte of WAL) is written
        # out before anything is timed, as on a database in steady use: otherwise a checkpoint the
        # seed started lands in the middle of the batch.
        run(service.psql + ["-c", "VACUUM ANALYZE"])
        run(service.psql + ["-c", "CHECKPOINT"])
        wait_for_index(service, token)
        wait_until_idle(service)
        memory_part(service, token, args.workers, rss_started)
        if not args.no_batch:
            batch = batch_part(service, binary, args.workers, size)
            wait_until_idle(service)
            if batch and args.workers <= 1_000_000:
                api_batch_part(service, token, batch, size)
                wait_until_idle(service)
        if not args.batch_only:
            candidates_part(service, token, args, size, today, day_file, failures)
    shutil.rmtree(os.path.dirname(day_file), ignore_errors=True)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def vietnam_today():
    """The service's day when no day file overrides it: today in Vietnam (UTC+7)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


def write_day(path, day):
    """The day the service matches for (`JOBMATCH_TODAY_FILE`), written whole (rename) so it is never read half-written."""
    with open(path + ".new", "w") as f:
        f.write(day.isoformat() + "\n")
    os.chmod(path + ".new", 0o644)
    os.replace(path + ".new", path)


def binary_mentions(binary, text):
    """Whether the binary contains `text` (how a feature of the contract is told apart from an older binary)."""
    with open(binary, "rb") as f:
        return text.encode() in f.read()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def metrics(service, token):
    """The `/metrics` gauges and counters as {name: value} (labelled series keep their labels in the name)."""
    body = Client(service.port).request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"}).body.decode()
    values = {}
    for line in body.splitlines():
        match = re.match(r"^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) ([-+0-9.eE]+|NaN)$", line)
        if match:
            values[match.group(1)] = float(match.group(2))
    return values


def gauge(values, name):
    """A gauge by name, with or without labels (the first series of that name)."""
    if name in values:
        return values[name]
    return next((value for key, value in values.items() if key.startswith(name + "{")), None)


def memory_part(service, token, workers, rss_started):
    """Bytes a worker of the service's copy (goal <= 100), and the resident memory for information."""
    gauges = metrics(service, token)
    copied, size = gauge(gauges, "jobmatch_candidate_index_workers"), gauge(gauges, "jobmatch_candidate_index_bytes")
    rss = rss_mb(service.server.pid)
    info = f"service resident memory {rss:.0f} MB ({rss - rss_started:+.0f} MB since it answered /healthz)"
    if size is None or not copied:
        print(f"memory of the candidate copy: bytes gauge {NOT_AVAILABLE}; {copied or 0:.0f} workers copied; {info}")
        record(f"candidate copy, bytes a worker ({workers:,} workers)", NOT_AVAILABLE, "—", "—", "<= 100", False)
        return
    per_worker = size / copied
    print(f"memory of the candidate copy: {size / 1e6:.1f} MB for {copied:,.0f} workers = {per_worker:.1f} bytes a worker "
          f"(goal <= 100); {info}")
    record(f"candidate copy, bytes a worker ({copied:,.0f} workers copied)", f"{per_worker:.1f} B ({size / 1e6:.1f} MB; RSS {rss:.0f} MB)",
           "—", "—", "<= 100 B", per_worker <= 100)


def batch_part(service, binary, workers, size):
    """`jobmatch match --all --json`: filled against fillable, wall time, the optimality certificate."""
    goal = 40 if workers > 1_000_000 else 10
    has_json = "--json" in subprocess.run([binary, "match", "--help"], capture_output=True, text=True).stdout
    t0 = time.monotonic()
    line = service.command("match", "--all", *(["--json"] if has_json else []))
    seconds = time.monotonic() - t0
    record(f"batch at {size}, whole `match --all` command", f"{seconds:.1f} s wall", "—", "—", f"< {goal} s", seconds < goal)
    if not has_json:
        print(f"batch of all open vacancies: {seconds:.1f} s wall (goal < {goal} s); `--json` {NOT_AVAILABLE}: {line}")
        record(f"batch at {size}, slots given a worker / most that can be", NOT_AVAILABLE, "—", "—", "100%", False)
        record(f"batch at {size}, optimality certificate", NOT_AVAILABLE, "—", "—", "0 violations", False)
        return None
    batch = json.loads(line)
    filled, fillable = batch["proposals"], batch["most_fillable"]
    share = filled / fillable if fillable else 1.0
    certificate = batch["certificate"]
    print(f"batch {batch['batch_id']} of {batch['vacancies']:,} open vacancies ({batch['open_slots']:,} open slots): {seconds:.1f} s wall "
          f"(goal < {goal} s; {batch['duration_ms']} ms inside, phases {batch['phases_ms']}); {filled:,} proposals of {fillable:,} fillable "
          f"({share:.2%}, goal 100%), {batch['priority_proposals']:,} priority, total score {batch['total_score']:,}; certificate: "
          f"optimal {certificate['optimal']}, {certificate['violations']} violations, {certificate['pairs_checked']:,} pairs checked, "
          f"{certificate.get('list_extensions', '?')} list extensions, exact search to the end: {certificate.get('exact_search', '?')}")
    record(f"batch at {size}, slots given a worker / most that can be", f"{filled:,} / {fillable:,} ({share:.2%})",
           f"{batch['open_slots']:,} open slots", "—", "100%", filled == fillable)
    record(f"batch at {size}, optimality certificate", f"{certificate['violations']} violations, {certificate['pairs_checked']:,} pairs",
           "—", "—", "0 violations", certificate["violations"] == 0 and certificate["optimal"])
    return batch


def api_batch_part(service, token, batch, size):
    """The same batch through the service, `POST /api/staff/matching/batches`, timed to the last byte
    of its answer (every proposal with its parts). The command's proposals are deleted first and the
    tables vacuumed, so the service solves the same problem; it must give the same proposals."""
    batch_id = int(batch["batch_id"])
    run(service.psql + ["-c", f"DELETE FROM referral_events WHERE referral_id IN (SELECT id FROM referrals WHERE batch_id = {batch_id})",
                        "-c", f"DELETE FROM referrals WHERE batch_id = {batch_id}"])
    run(service.psql + ["-c", "VACUUM ANALYZE referrals, referral_events"])
    run(service.psql + ["-c", "CHECKPOINT"])
    wait_until_idle(service)
    t0 = time.monotonic()
    reply = Client(service.port, timeout=600).request("POST", "/api/staff/matching/batches",
                                                      headers={"Authorization": f"Bearer {token}"})
    seconds = time.monotonic() - t0
    if reply.status != 201:
        print(f"POST /api/staff/matching/batches: {reply.status} {reply.body[:300]!r}")
        record(f"batch at {size}, `POST /api/staff/matching/batches`", f"HTTP {reply.status}", "—", "—", "< 10 s, same proposals", False)
        return
    answer = reply.json()
    same = (answer["proposals"], answer["total_score"], answer["most_fillable"]) == (batch["proposals"], batch["total_score"], batch["most_fillable"])
    print(f"the same batch through the service: {seconds:.1f} s to the last byte ({len(reply.body) / 1e6:.1f} MB answer, "
          f"{answer['duration_ms']} ms inside); {answer['proposals']:,} proposals, total score {answer['total_score']:,}, "
          f"{answer['certificate_violations']} violations; the command's: {batch['proposals']:,}, {batch['total_score']:,}")
    record(f"batch at {size}, `POST /api/staff/matching/batches` (answer with every proposal)",
           f"{seconds:.1f} s, {answer['proposals']:,} proposals, {'the same as' if same else '**not** the same as'} the command's",
           "—", "—", "< 10 s, same proposals", seconds < 10 and same and answer["certificate_violations"] == 0)


class Lists:
    """One staff client (keep-alive) asking the API for vacancies' top 20."""

    def __init__(self, service, token):
        self.client = Client(service.port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}"}

    def top(self, vacancy):
        """[(worker_id, total score)] and the request's seconds."""
        reply = self.client.request("GET", f"/api/staff/vacancies/{vacancy}/candidates?limit=20", headers=self.headers)
        assert reply.status == 200, (vacancy, reply.status, reply.body[:300])
        result = []
        for candidate in reply.json()["candidates"]:
            score = candidate["score"]
            result.append((candidate["worker_id"], score["total"] if isinstance(score, dict) else score))
        return result, reply.seconds

    def pass_over(self, vacancies):
        """Each vacancy once: ({vacancy: list}, [milliseconds])."""
        lists, times = {}, []
        for vacancy in vacancies:
            lists[vacancy], seconds = self.top(vacancy)
            times.append(seconds * 1000)
        return lists, times

    def for_seconds(self, vacancies, seconds):
        """Requests one after another, cycling through `vacancies`, for `seconds`: [milliseconds]."""
        times, end, i = [], time.monotonic() + seconds, 0
        while time.monotonic() < end:
            times.append(self.top(vacancies[i % len(vacancies)])[1] * 1000)
            i += 1
        return times


def candidates_part(service, token, args, size, today, day_file, failures):
    """Steady state, then the minute after each event, each against the SQL baseline brought up to date."""
    ids = [int(x) for x in run(service.psql + ["-At", "-c", "SELECT id FROM vacancies WHERE status = 'open' ORDER BY id"]).stdout.split()]
    sample = random.Random(11).sample(ids, min(args.samples, len(ids)))
    api = Lists(service, token)
    api.pass_over(sample)                       # warms the service's caches and PostgreSQL's
    lists, api_times = api.pass_over(sample)
    compare_with_baseline(service, f"steady, {size}", sample, lists, api_times, today, failures)
    if args.full_ranking:
        full_ranking_part(service, api, sample[:args.full_ranking], lists, api_times)
    if args.no_events:
        return
    day = today
    # (a) an import of new people, the file written first (untimed).
    csv = os.path.join(service.home, "import.csv")
    service.command("seed", "--csv", csv, "--workers", str(args.import_rows), "--start", str(args.workers))
    os.chmod(csv, 0o644)
    t0 = time.monotonic()
    line = service.command("import", "workers", csv, "--partial")
    print(f"import of {args.import_rows:,} rows: {time.monotonic() - t0:.1f} s ({line})")
    after_event(service, api, f"minute after a {args.import_rows:,}-row import", sample, args.event_seconds, day, failures)
    # (b) a weight change by an admin.
    reply = Client(service.port).request("PUT", "/api/staff/matching/weights",
                                         {"weights": {"priority_woman": 8, "distance_max": 20, "waiting_per_month": 2}},
                                         {"Authorization": f"Bearer {token}"})
    assert reply.status == 200, (reply.status, reply.body[:300])
    after_event(service, api, "minute after a weight change", sample, args.event_seconds, day, failures)
    # (c) a day change through the day file.
    if not binary_mentions(service.binary, "JOBMATCH_TODAY_FILE"):
        print(f"day change: JOBMATCH_TODAY_FILE {NOT_AVAILABLE}")
        record("one vacancy's candidates, minute after a day change", NOT_AVAILABLE, "—", "—", "p99 <= 1.0x, median <= 2.0x", False)
        return
    day = today + datetime.timedelta(days=1)
    write_day(day_file, day)
    after_event(service, api, "minute after a day change", sample, args.event_seconds, day, failures)


def after_event(service, api, what, sample, seconds, day, failures):
    """Requests for `seconds` right after an event; then, once the service is idle, the lists again
    (untimed) against the baseline rebuilt for the new state."""
    times = api.for_seconds(sample, seconds)
    waited = wait_until_idle(service)
    lists, _ = api.pass_over(sample)
    print(f"{what}: {len(times)} requests in {seconds:.0f} s; the service was idle {waited:.0f} s after that")
    compare_with_baseline(service, what, sample, lists, times, day, failures)


def compare_with_baseline(service, what, sample, lists, api_times, day, failures):
    """Brings the SQL baseline up to date (untimed), times it on the same vacancies, checks it gives
    the API's lists, and records the ratios."""
    weights = baseline.weights_now(service.psql)
    t0 = time.monotonic()
    baseline.build(service.psql, day.isoformat(), weights)
    built = time.monotonic() - t0
    rows = run(service.psql + ["-At", "-c", "SELECT count(DISTINCT id), count(*) FROM bench_candidates"]).stdout.strip()
    sql_lists, sql_times = baseline.lists_and_times(service.psql, sample, day.isoformat(), weights)
    differ = [v for v in sample if sql_lists.get(v) != lists[v]]
    for vacancy in differ[:3]:
        print(f"  vacancy {vacancy}: API {lists[vacancy]}\n  {' ' * len(str(vacancy))}           SQL {sql_lists.get(vacancy)}")
    if differ:
        failures.append(f"{what}: the SQL baseline's top 20 differs from the API's on {len(differ)} of {len(sample)} vacancies")
    am, ap, amax = statistics.median(api_times), percentile(api_times, 99), max(api_times)
    slow = sum(1 for t in api_times if t > 100)
    sm, sp = statistics.median(sql_times), percentile(sql_times, 99)
    met = ap <= sp and am <= 2 * sm and not differ
    eligible, total_rows = rows.split("|")
    print(f"candidates, {what}: API median {am:.1f} ms, p99 {ap:.1f} ms, max {amax:.0f} ms ({len(api_times)} requests, {slow} over 100 ms); indexed SQL median {sm:.2f} ms, "
          f"p99 {sp:.2f} ms ({len(sql_times)} vacancies; table of {int(eligible):,} eligible workers, {int(total_rows):,} rows, "
          f"rebuilt in {built:.0f} s); ratio median {am / sm:.2f}x (goal <= 2.0), p99 {ap / sp:.2f}x (goal <= 1.0); "
          f"same top 20 on {len(sample) - len(differ)} of {len(sample)} vacancies")
    record(f"one vacancy's candidates, {what}, median / p99", f"{am:.1f} / {ap:.1f} ms (max {amax:.0f})",
           f"indexed SQL {sm:.1f} / {sp:.1f} ms" + (f" (**lists differ on {len(differ)}**)" if differ else ""),
           f"{am / sm:.2f}x / {ap / sp:.2f}x", "<= 2.0x / <= 1.0x", met)


def full_ranking_part(service, api, vacancies, lists, api_times):
    """The second line: the service's own statement ranking every eligible worker (taken from
    PostgreSQL's statement log with its values, its short list of workers taken out), in psql."""
    statements = captured_sql(service.psql, os.path.join(service.home, "log"), "WITH v AS (", lambda: api.pass_over(vacancies))
    short_list = re.compile(r"'\{[0-9,]*\}'::bigint\[\] IS NULL OR w\.id = ANY\('\{[0-9,]*\}'::bigint\[\]\)")
    script = []
    for vacancy in vacancies:
        group = statements.get(str(vacancy), [])
        sql, replaced = short_list.subn("NULL::bigint[] IS NULL OR w.id = ANY(NULL::bigint[])", group[0]) if len(group) == 1 else ("", 0)
        if replaced != 1:
            print(f"the service's full ranking statement: {NOT_AVAILABLE} (no such statement logged for vacancy {vacancy})")
            return
        script.append(sql + ";\n")
    times = [float(line.split()[1]) for line in run(service.psql + ["-o", os.devnull], input="\\timing on\n" + "".join(script)).stdout.splitlines()
             if line.startswith("Time:")]
    same = 0
    for vacancy, sql in zip(vacancies, script):
        rows = [tuple(int(x) for x in (line.split("|")[0], line.split("|")[-1]))
                for line in run(service.psql + ["-At"], input=sql).stdout.splitlines() if line.strip()]
        same += rows == lists[vacancy]
    sm, sp = statistics.median(times), percentile(times, 99)
    am = statistics.median(api_times[:len(vacancies)])
    print(f"the service's old full ranking in psql ({len(times)} vacancies): median {sm:.0f} ms, p99 {sp:.0f} ms; "
          f"its top 20 is the API's on {same} of {len(vacancies)}")
    record(f"(second line) the service's full ranking statement in psql, {len(times)} vacancies", f"API median {am:.1f} ms",
           f"psql {sm:.0f} / {sp:.0f} ms", f"{am / sm:.4f}x", "—", True)


if __name__ == "__main__":
    sys.exit(main())
