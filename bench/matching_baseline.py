"""The best indexed SQL design for one vacancy's top 20, built by the matching benchmark in the
service's own cluster as its baseline (bench/README.md, "The SQL baseline").

Two tables, rebuilt (untimed) for a day and a set of weights:

- `bench_candidates`: one row per eligible worker per *tag* the worker carries: `*` (everyone),
  `4:7212`, `3:721`, `2:72` for each occupation, `t:721` for each completed course. A row holds
  `base`, the points that do not depend on the vacancy (household status as of the day, waiting
  time, the plan's priorities), `may_train` (a course of the worker may count for a vacancy of the
  tag), `band` (birth year / 5), and everything the vacancy's part and the per-vacancy filters need
  (ward, birth date, commute limit, about to leave abroad, occupation and course codes). The rows
  are written in index order and indexed on (tag, ward, may_train, band, base DESC, created_at, id).
- `bench_candidate_buckets`: per (tag, ward, may_train, band) the highest `base`, the longest reach
  (the commute the distance points are measured against), the row count and the first and last
  birth dates.

A vacancy's query (one prepared statement, `top20(vacancy, day, weights)`) looks only at the
buckets of its five tags that hold someone inside its age range: each bucket gets an upper bound
of what its workers can reach (the highest base, plus the occupation and course points its tag
allows at most, plus the distance points its ward allows at most). Phase 1 scores exactly the best
5 eligible rows of each of the 40 most promising buckets (more if those hold under 400 rows); the
20th best of those is a lower bound `bar` on the 20th best overall. Phase 2 takes from every bucket
whose bound reaches `bar` the rows whose base can still reach it, scores them exactly with
`candidate_points` (the service's own score function), and keeps the top 20 by points, then
registration time, then id: the same order as the service.

Why it is exact: a worker's vacancy part is at most (occupation points for their depth) + course
points + distance points. A worker of depth 4 is in the bucket `4:` of the vacancy's unit group,
whose bound adds exactly the depth-4 points; depth 3 in `3:`, depth 2 in `2:`; a worker of depth
0 or 1 with a relevant course in `t:`; anyone else in `*`, where only distance can add. So every
worker whose total can reach `bar` is read from at least one bucket with a bound that covers them,
and `bar` never exceeds the true 20th best (it is the 20th best of a subset of eligible workers).
"""
import os

from benchlib import run

DISTANCE = ("6371 * 2 * asin(sqrt(power(sin(radians(wd.lat - v.lat) / 2), 2) "
            "+ cos(radians(v.lat)) * cos(radians(wd.lat)) * power(sin(radians(wd.lon - v.lon) / 2), 2)))")

# The filters that do not depend on the vacancy: the service's (Matching/CandidateFinder.swift).
WORKER_ELIGIBILITY = """
    w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
    AND EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
    AND NOT EXISTS (SELECT 1 FROM live_placements() p WHERE p.worker_id = w.id AND p.recorded_at >= w.seeking_since)
    AND NOT EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id AND oc.early_return_date IS NULL
                    AND oc.departure_date IS NOT NULL AND oc.departure_date + make_interval(months => oc.term_months) > now())
"""
LEAVING_SOON = """EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id AND oc.early_return_date IS NULL
                AND oc.departure_date IS NULL AND oc.planned_departure >= CURRENT_DATE)"""


def build_sql(day, weights):
    """The statements that (re)build the baseline's tables for `day` (YYYY-MM-DD) and `weights`."""
    w = "'{" + ",".join(str(int(x)) for x in weights) + "}'::int[]"
    d = f"'{day}'::date"
    return f"""
DROP TABLE IF EXISTS bench_candidates, bench_candidate_buckets;
CREATE TABLE bench_candidates AS
WITH eligible AS (
    SELECT w.id, w.created_at, w.ward_code, w.birth_date, w.max_commute_km,
           {LEAVING_SOON} AS leaving_soon,
           ARRAY(SELECT o.occupation_code FROM worker_occupations o WHERE o.worker_id = w.id) AS occupations,
           ARRAY(SELECT co.occupation_code FROM enrolments e JOIN courses co ON co.id = e.course_id
                 WHERE e.worker_id = w.id AND e.status = 'completed') AS trained,
           candidate_points(COALESCE(hs.status, 'none'), 0, false, NULL, w.max_commute_km,
                            (w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, {d}, w.sex, w.ethnicity,
                            w.disability_type IS NOT NULL, {w}) AS base
    FROM workers w
    LEFT JOIN LATERAL (SELECT s.status FROM household_statuses s
                       WHERE s.household_id = w.household_id AND s.valid_from <= {d}
                         AND (s.valid_to IS NULL OR s.valid_to >= {d}) LIMIT 1) hs ON true
    WHERE {WORKER_ELIGIBILITY}
)
SELECT t.tag, e.ward_code,
       -- whether a course of the worker can be relevant to a vacancy of this tag: the tag's own
       -- minor group (3 digits) for `4:` and `3:`, its sub-major group for `2:`; always for `t:`
       t.tag LIKE 't:%' OR (t.tag <> '*' AND EXISTS (SELECT 1 FROM unnest(e.trained) c
                                                   WHERE length(c) >= 3 AND left(c, least(length(t.tag) - 2, 3)) = left(substr(t.tag, 3), 3)))
           AS may_train,
       extract(year FROM e.birth_date)::int / 5 AS band,
       e.base, e.created_at, e.id, e.birth_date, e.max_commute_km, e.leaving_soon, e.occupations, e.trained
FROM eligible e
CROSS JOIN LATERAL (
    SELECT '*' AS tag
    UNION SELECT n || ':' || left(o, n) FROM unnest(e.occupations) o, generate_series(2, 4) n WHERE length(o) >= n
    UNION SELECT 't:' || left(c, 3) FROM unnest(e.trained) c WHERE length(c) >= 3
) t
ORDER BY 1, 2, 3, 4, e.base DESC, e.created_at, e.id;
CREATE INDEX bench_candidates_bucket ON bench_candidates (tag, ward_code, may_train, band, base DESC, created_at, id);
CREATE TABLE bench_candidate_buckets AS
SELECT tag, ward_code, may_train, band, max(base) AS max_base, max(COALESCE(NULLIF(max_commute_km, 0), 50))::float8 AS reach,
       count(*) AS rows, min(birth_date) AS born_first, max(birth_date) AS born_last
FROM bench_candidates GROUP BY tag, ward_code, may_train, band;
CREATE INDEX bench_candidate_buckets_tag ON bench_candidate_buckets (tag);
VACUUM ANALYZE bench_candidates;
VACUUM ANALYZE bench_candidate_buckets;
"""


def _rows(source, where_extra):
    """Rows of bucket `b` (a LATERAL over `source` buckets) that pass the vacancy's filters."""
    return f"""
        SELECT c.id, c.created_at, c.base, c.occupations, c.trained, c.max_commute_km, b.distance_km, v.occupation_code AS vacancy_occupation
        FROM {source} b CROSS JOIN v CROSS JOIN LATERAL (
            SELECT c.* FROM bench_candidates c
            WHERE c.tag = b.tag AND c.ward_code = b.ward_code AND c.may_train = b.may_train AND c.band = b.band {where_extra}
              AND (v.min_age IS NULL OR c.birth_date <= ($2 - make_interval(years => v.min_age))::date)
              AND (v.max_age IS NULL OR c.birth_date > ($2 - make_interval(years => v.max_age + 1))::date)
              AND (c.max_commute_km IS NULL OR b.distance_km IS NULL OR b.distance_km <= c.max_commute_km)
              AND (v.open_to_abroad_bound OR NOT c.leaving_soon)
              AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = c.id)
            {{limit}}
        ) c"""


def _scored(rows):
    """`rows` with their exact total: base plus the vacancy's part by `candidate_points`."""
    return f"""
        SELECT DISTINCT r.id, r.created_at,
               r.base + candidate_points('none', r.depth, r.trained, r.distance_km, r.max_commute_km, $2, $2, 'male', NULL, false, $3)
                   AS points
        FROM (SELECT x.id, x.created_at, x.base, x.max_commute_km, x.distance_km,
                     COALESCE((SELECT max(isco_shared_levels(o, x.vacancy_occupation)) FROM unnest(x.occupations) o), 0) AS depth,
                     EXISTS (SELECT 1 FROM unnest(x.trained) t WHERE isco_shared_levels(t, x.vacancy_occupation) >= 3) AS trained
              FROM ({rows}) x OFFSET 0) r"""


PHASE1_BUCKETS = 40
PHASE1_ROWS = 400

QUERY = f"""
WITH v AS (
    SELECT v.id, v.occupation_code, v.min_age, v.max_age, v.open_to_abroad_bound, wd.lat, wd.lon
    FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code WHERE v.id = $1
), tags AS (
    -- each tag with the occupation points of its class (depth 4, 3, 2; a course only; neither)
    SELECT '4:' || left(occupation_code, 4) AS tag, $3[5] AS extra FROM v WHERE length(occupation_code) >= 4
    UNION ALL SELECT '3:' || left(occupation_code, 3), $3[6] FROM v WHERE length(occupation_code) >= 3
    UNION ALL SELECT '2:' || left(occupation_code, 2), $3[7] FROM v WHERE length(occupation_code) >= 2
    UNION ALL SELECT 't:' || left(occupation_code, 3), 0 FROM v WHERE length(occupation_code) >= 3
    UNION ALL SELECT '*', 0
), buckets AS MATERIALIZED (
    -- the most a bucket's workers can add: their class's occupation points, the course points if
    -- one of them may have a relevant course, the distance points at the bucket's longest reach
    -- (the service's formula; it only grows with the reach)
    SELECT b.tag, b.ward_code, b.may_train, b.band, b.max_base, b.rows, d.distance_km,
           t.extra + CASE WHEN b.may_train THEN $3[8] ELSE 0 END
           + CASE WHEN d.distance_km IS NULL THEN 0
                  ELSE floor($3[9]::float8 * (greatest(0, b.reach - d.distance_km) / b.reach) + 1e-9) END AS extra
    FROM tags t JOIN bench_candidate_buckets b ON b.tag = t.tag
    LEFT JOIN wards_2025 wd ON wd.ward_code = b.ward_code
    CROSS JOIN v
    CROSS JOIN LATERAL (SELECT {DISTANCE} AS distance_km) d
    -- only buckets with someone born inside the vacancy's age range on the day
    WHERE (v.min_age IS NULL OR b.born_first <= ($2 - make_interval(years => v.min_age))::date)
      AND (v.max_age IS NULL OR b.born_last > ($2 - make_interval(years => v.max_age + 1))::date)
), promising AS (
    -- the buckets with the highest bounds: at least {PHASE1_BUCKETS}, and enough of them to hold {PHASE1_ROWS} rows
    SELECT * FROM (
        SELECT buckets.*, row_number() OVER w AS rank, sum(rows) OVER w AS running
        FROM buckets WINDOW w AS (ORDER BY max_base + extra DESC, tag, ward_code, may_train, band ROWS UNBOUNDED PRECEDING)
    ) ranked
    WHERE rank <= {PHASE1_BUCKETS} OR running - rows < {PHASE1_ROWS}
), first AS MATERIALIZED (
    {_scored(_rows("promising", "").replace("{limit}", "ORDER BY c.base DESC, c.created_at, c.id LIMIT 5"))}
), bar AS (
    SELECT COALESCE((SELECT points FROM first ORDER BY points DESC OFFSET 19 LIMIT 1), -1) AS points
), reachable AS (
    SELECT buckets.* , bar.points AS bar FROM buckets, bar WHERE buckets.max_base + buckets.extra >= bar.points
), second AS (
    {_scored(_rows("reachable", "AND c.base >= b.bar - b.extra").replace("{limit}", ""))}
)
SELECT id, points FROM second ORDER BY points DESC, created_at, id LIMIT 20
"""

# The session's settings: JIT compiles the statement on every run (its estimate over the bucket
# LATERALs is high) for about 60 ms, to read a few hundred rows; a generic plan saves planning
# (about 2.5 ms, more than the run) on every execution after the first.
SESSION = "SET jit = off;\nSET plan_cache_mode = force_generic_plan;\n"
PREPARE = SESSION + f"PREPARE top20(bigint, date, int[]) AS {QUERY};\n"


def build(psql, day, weights):
    """Rebuilds the baseline's tables (untimed by the benchmark)."""
    run(psql, input=build_sql(day, weights))


def weights_now(psql):
    """The weights in force, in `match_weights.position` order (as `candidate_points` takes them)."""
    out = run(psql + ["-At", "-c", "SELECT array_agg(points ORDER BY position) FROM match_weights"]).stdout.strip()
    return [int(x) for x in out.strip("{}").split(",")]


def lists_and_times(psql, vacancies, day, weights):
    """For each vacancy: the baseline's top 20 as [(worker_id, points)] from a first (warming) pass,
    and the milliseconds psql's `\\timing` gives for a second pass of the same prepared statement
    in the same session (rows sent to /dev/null)."""
    w = "'{" + ",".join(str(int(x)) for x in weights) + "}'"
    execute = lambda v: f"EXECUTE top20({int(v)}, '{day}', {w});\n"
    script = (PREPARE + "".join(f"\\echo @@ {v}\n" + execute(v) for v in vacancies)
              + "\\echo @@end\n\\o /dev/null\n\\timing on\n" + "".join(execute(v) for v in vacancies))
    out = run(psql + ["-At"], input=script).stdout.splitlines()
    end = out.index("@@end")
    lists, current = {}, None
    for line in out[:end]:
        if line.startswith("@@ "):
            current = int(line[3:])
            lists[current] = []
        elif line.strip():
            worker, points = line.split("|")
            lists[current].append((int(worker), int(points)))
    times = [float(line.split()[1]) for line in out[end + 1:] if line.startswith("Time:")]
    assert len(times) == len(vacancies), (len(times), len(vacancies))
    return lists, times
