-- Exports compute a month's corrections only for the people whose entries changed since the
-- previous report: counted_placements takes an optional list of worker records to count
-- (NULL: everyone), and placements are found by when they were recorded.

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
        SELECT worker_person_as_of(p.worker_id, as_of) AS person, p.id, p.worker_id, p.start_date
        FROM live_placements(as_of) p
        WHERE p.start_date BETWEEN period_start AND least(period_end, ((as_of - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
          AND (NOT abroad_only OR p.channel = 'overseas_departure')
          AND (only_workers IS NULL OR p.worker_id = ANY (only_workers))
    ) live
    ORDER BY person, start_date, id
$$;

CREATE INDEX placements_recorded ON placements (recorded_at);
