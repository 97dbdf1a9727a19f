-- Counting at the scale of a plan period (a million placements): counted_placements finds each
-- placement's person with a join instead of calling worker_person_as_of per row (a function with a
-- sub-select is never inlined: ~10 us a call), and takes an optional list of worker records to
-- count, so that an export works out its corrections only for the people whose entries changed
-- since the previous report. The 2025-ward-to-district rule becomes a view reports can join.

DROP FUNCTION counted_placements(date, date, timestamptz, boolean);

-- Each person counted in [period_start, period_end] as known before `as_of`, once, with the
-- placement that counts them (their first by counting date, then by id). A placement counts
-- when it was recorded before `as_of`, its counting date (job start or departure) falls in the
-- period and is not after `as_of`, and no reversal of it was recorded before `as_of`.
-- `abroad_only`: departures under overseas contracts only (the abroad target).
-- `only_workers`: count only these worker records (all the records of each person concerned).
CREATE FUNCTION counted_placements(period_start date, period_end date, as_of timestamptz, abroad_only boolean,
                                   only_workers bigint[] DEFAULT NULL)
RETURNS TABLE (person_id bigint, placement_id bigint, worker_id bigint, counting_date date)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (person) person, id, worker_id, start_date
    FROM (
        -- The person: as worker_person_as_of (at most one merge of a record is in force at a time).
        SELECT COALESCE(m.kept_id, p.worker_id) AS person, p.id, p.worker_id, p.start_date
        FROM live_placements(as_of) p
        LEFT JOIN worker_merges m ON m.merged_id = p.worker_id AND m.merged_at < as_of AND (m.undone_at IS NULL OR m.undone_at >= as_of)
        WHERE p.start_date BETWEEN period_start AND least(period_end, ((as_of - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
          AND (NOT abroad_only OR p.channel = 'overseas_departure')
          AND (only_workers IS NULL OR p.worker_id = ANY (only_workers))
    ) live
    ORDER BY person, start_date, id
$$;

CREATE INDEX placements_recorded ON placements (recorded_at);

-- The legacy district of each 2025 ward whose legacy wards all lay in one district.
CREATE VIEW ward_single_district AS
    SELECT c.ward_code, min(lw.district_code) AS district_code
    FROM ward_crosswalk c JOIN legacy_wards lw ON lw.ward_code = c.legacy_ward_code
    GROUP BY c.ward_code HAVING count(DISTINCT lw.district_code) = 1;

CREATE OR REPLACE FUNCTION legacy_district_of(legacy_ward text, ward text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN legacy_ward IS NOT NULL
                    THEN (SELECT district_code FROM legacy_wards WHERE ward_code = legacy_ward)
                    ELSE (SELECT district_code FROM ward_single_district WHERE ward_code = ward)
               END
    $$;

-- The abroad target counts departures only: found without reading every placement of the period.
CREATE INDEX placements_departures ON placements (start_date) WHERE channel = 'overseas_departure' AND reverses_id IS NULL;
