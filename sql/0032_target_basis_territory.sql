-- Targets as the department files them (issue 20): each jobs or abroad target has a counting basis
-- and may have a territory, and an admin adds targets (yearly roadmaps, ward targets) through
-- POST /api/staff/targets. docs/counting.md says what each basis means.

-- `yearly`: a person counts once in each calendar year a job counts them, and the period's figure
-- is the sum of its years (how the yearly plans and reports add up to the five-year figure).
-- `distinct`: a person counts once in the whole period. The trained-labour rate has no basis.
ALTER TABLE targets
    ADD COLUMN basis text CHECK (basis IN ('yearly', 'distinct')),
    ADD COLUMN created_by bigint REFERENCES staff_users (id);
UPDATE targets SET basis = 'yearly' WHERE indicator IN ('jobs', 'abroad');
ALTER TABLE targets ADD CONSTRAINT targets_basis_for_counts CHECK ((indicator = 'trained_rate') = (basis IS NULL));

-- Where a target counts: only placements of people living in one of its places (their 2025 ward,
-- or the legacy province of their ward) count toward it. A target with no row counts the whole
-- home territory. Exactly one of the two columns is set.
CREATE TABLE target_territories (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_key           text NOT NULL REFERENCES targets (key) ON UPDATE CASCADE ON DELETE CASCADE,
    ward_code            text REFERENCES wards_2025 (ward_code),
    legacy_province_code text CHECK (legacy_province_code ~ '^[0-9]{2}$'),
    CHECK ((ward_code IS NULL) <> (legacy_province_code IS NULL)),
    UNIQUE (target_key, ward_code),
    UNIQUE (target_key, legacy_province_code)
);

-- The seeded targets are Hậu Giang's plan (legacy province 93): they keep its territory after the
-- 2025 merger into Cần Thơ, so people from the old Cần Thơ or Sóc Trăng do not count toward them.
INSERT INTO target_territories (target_key, legacy_province_code)
SELECT key, '93' FROM targets WHERE key IN ('jobs_2021_2025', 'jobs_2026_2030', 'abroad_2021_2025', 'trained_rate_2025', 'trained_rate_2030');

-- The legacy district and province of each 2025 ward whose legacy wards all lay in one district or
-- one province (NULL where they spread over several), stored with a key: as views grouping the
-- crosswalk, the planner guessed one row for them and read 3,000 rows once per worker (10 s for
-- 30,000 workers). Refilled whenever the reference data is loaded.
CREATE TABLE ward_legacy_units (
    ward_code text PRIMARY KEY REFERENCES wards_2025 (ward_code),
    district_code text,
    province_code text
);

CREATE FUNCTION refresh_ward_legacy_units() RETURNS void LANGUAGE sql AS $$
    DELETE FROM ward_legacy_units;
    INSERT INTO ward_legacy_units (ward_code, district_code, province_code)
    SELECT c.ward_code,
           CASE WHEN count(DISTINCT lw.district_code) = 1 THEN min(lw.district_code) END,
           CASE WHEN count(DISTINCT lw.province_code) = 1 THEN min(lw.province_code) END
    FROM ward_crosswalk c JOIN legacy_wards lw ON lw.ward_code = c.legacy_ward_code
    GROUP BY c.ward_code;
$$;

SELECT refresh_ward_legacy_units();

CREATE OR REPLACE VIEW ward_single_district AS
    SELECT ward_code, district_code FROM ward_legacy_units WHERE district_code IS NOT NULL;

CREATE VIEW ward_single_province AS
    SELECT ward_code, province_code FROM ward_legacy_units WHERE province_code IS NOT NULL;

-- The entries that count as known before `as_of`: the live ones (0014: recorded, not reversed).
-- Migration 0035 narrows it (an employer's hire counts once staff confirm it); the counting
-- functions read it, so what counts is decided in one place.
CREATE FUNCTION countable_placements(as_of timestamptz DEFAULT 'infinity') RETURNS SETOF placements
    LANGUAGE sql STABLE AS $$
    SELECT p.* FROM live_placements(as_of) p
$$;

-- counted_placements (0017) on a basis: `distinct` is counted_placements itself (a person once in
-- the period, by their first placement in it); `yearly` keeps each person's first placement of
-- each calendar year, so a year's figure, and its months, count within that year.
CREATE FUNCTION counted_placements_on(basis text, period_start date, period_end date, as_of timestamptz, abroad_only boolean,
                                      only_workers bigint[] DEFAULT NULL)
RETURNS TABLE (person_id bigint, placement_id bigint, worker_id bigint, counting_date date)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (person, window_year) person, id, worker_id, start_date
    FROM (
        SELECT COALESCE(m.kept_id, p.worker_id) AS person, p.id, p.worker_id, p.start_date,
               CASE WHEN basis = 'yearly' THEN extract(year FROM p.start_date)::int ELSE 0 END AS window_year
        FROM countable_placements(as_of) p
        LEFT JOIN worker_merges m ON m.merged_id = p.worker_id AND m.merged_at < as_of AND (m.undone_at IS NULL OR m.undone_at >= as_of)
        WHERE p.start_date BETWEEN period_start AND least(period_end, ((as_of - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
          AND (NOT abroad_only OR p.channel = 'overseas_departure')
          AND (only_workers IS NULL OR p.worker_id = ANY (only_workers))
    ) live
    ORDER BY person, window_year, start_date, id
$$;

-- counted_placements (0017, used by the exports) is the distinct basis of counted_placements_on,
-- so the counting rules are written once.
CREATE OR REPLACE FUNCTION counted_placements(period_start date, period_end date, as_of timestamptz, abroad_only boolean,
                                              only_workers bigint[] DEFAULT NULL)
RETURNS TABLE (person_id bigint, placement_id bigint, worker_id bigint, counting_date date)
LANGUAGE sql STABLE AS $$
    SELECT * FROM counted_placements_on('distinct', period_start, period_end, as_of, abroad_only, only_workers)
$$;

-- The worker records living in target `target`'s territory (every record when it has none): the
-- one home of the territory rule. A person's place is as registered now (docs/counting.md rule 7):
-- their 2025 ward, and the legacy province of their legacy ward or else of their 2025 ward.
CREATE FUNCTION target_territory_workers(target text) RETURNS TABLE (worker_id bigint)
LANGUAGE sql STABLE AS $$
    -- Uncorrelated sub-selects: each runs once (a hash), not once per worker.
    SELECT pw.id
    FROM workers pw
    LEFT JOIN legacy_wards lw ON lw.ward_code = pw.legacy_ward_code
    LEFT JOIN ward_single_province wp ON wp.ward_code = pw.ward_code
    WHERE NOT EXISTS (SELECT 1 FROM target_territories t WHERE t.target_key = target)
       OR pw.ward_code IN (SELECT t.ward_code FROM target_territories t WHERE t.target_key = target AND t.ward_code IS NOT NULL)
       OR COALESCE(lw.province_code, wp.province_code) IN (SELECT t.legacy_province_code FROM target_territories t
                                                           WHERE t.target_key = target AND t.legacy_province_code IS NOT NULL)
$$;

-- The people counted toward target `target` on `basis`: counted_placements_on, kept to the target's
-- territory (`only_workers`: as in counted_placements_on, for the exports' corrections).
CREATE FUNCTION counted_for_target(target text, basis text, period_start date, period_end date, as_of timestamptz, abroad_only boolean,
                                   only_workers bigint[] DEFAULT NULL)
RETURNS TABLE (person_id bigint, placement_id bigint, worker_id bigint, counting_date date)
LANGUAGE sql STABLE AS $$
    -- Two branches, each kept or skipped once for the whole statement: no territory reads no
    -- worker; a territory is a hash join with its workers (an IN inside an OR would run per row).
    SELECT c.person_id, c.placement_id, c.worker_id, c.counting_date
    FROM counted_placements_on(basis, period_start, period_end, as_of, abroad_only, only_workers) c
    WHERE NOT EXISTS (SELECT 1 FROM target_territories t WHERE t.target_key = target)
    UNION ALL
    SELECT c.person_id, c.placement_id, c.worker_id, c.counting_date
    FROM counted_placements_on(basis, period_start, period_end, as_of, abroad_only, only_workers) c
    JOIN target_territory_workers(target) tw ON tw.worker_id = c.person_id
    WHERE EXISTS (SELECT 1 FROM target_territories t WHERE t.target_key = target)
$$;
