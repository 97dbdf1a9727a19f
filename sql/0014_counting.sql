-- The counting rules (docs/counting.md) in one place, as of any moment, so that a figure shown
-- today can be reproduced exactly later.

-- The person a worker record stood for at `as_of`: the record it had been merged into by then
-- (and not yet unmerged), else itself. Merges are never chained.
CREATE FUNCTION worker_person_as_of(worker bigint, as_of timestamptz) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT COALESCE((SELECT m.kept_id FROM worker_merges m
                     WHERE m.merged_id = worker AND m.merged_at < as_of AND (m.undone_at IS NULL OR m.undone_at >= as_of)
                     ORDER BY m.merged_at DESC LIMIT 1), worker)
$$;
CREATE INDEX worker_merges_merged ON worker_merges (merged_id, merged_at);

-- The placements in force at `as_of` (by default now and always): recorded before it, not a
-- reversal, and with no reversal of them recorded before it. Every count and check of "a live
-- placement" reads this one definition.
CREATE FUNCTION live_placements(as_of timestamptz DEFAULT 'infinity') RETURNS SETOF placements
    LANGUAGE sql STABLE AS $$
    SELECT p.* FROM placements p
    WHERE p.reverses_id IS NULL AND p.recorded_at < as_of
      AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id AND r.recorded_at < as_of)
$$;

-- Each person counted in [period_start, period_end] as known before `as_of`, once, with the
-- placement that counts them (their first by counting date, then by id). A placement counts
-- when it was recorded before `as_of`, its counting date (job start or departure) falls in the
-- period and is not after `as_of`, and no reversal of it was recorded before `as_of`.
-- `abroad_only`: departures under overseas contracts only (the abroad target).
CREATE FUNCTION counted_placements(period_start date, period_end date, as_of timestamptz, abroad_only boolean)
RETURNS TABLE (person_id bigint, placement_id bigint, worker_id bigint, counting_date date)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (person) person, id, worker_id, start_date
    FROM (
        SELECT worker_person_as_of(p.worker_id, as_of) AS person, p.id, p.worker_id, p.start_date
        FROM live_placements(as_of) p
        WHERE p.start_date BETWEEN period_start AND least(period_end, ((as_of - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
          AND (NOT abroad_only OR p.channel = 'overseas_departure')
    ) live
    ORDER BY person, start_date, id
$$;

-- The end of a day in the centre's time zone, as the exclusive `as_of` of that day's figures.
CREATE FUNCTION end_of_day(day date) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
$$;
