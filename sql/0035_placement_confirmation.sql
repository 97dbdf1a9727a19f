-- Issue 20, section 5: a hire an employer records through the API counts once staff have confirmed
-- it (the hire, or that the worker started); until then it is shown as awaiting confirmation and not
-- counted. Staff hires and the other channels keep their evidence and count as recorded.
ALTER TABLE placements
    ADD COLUMN confirmation_required boolean NOT NULL DEFAULT false,
    ADD COLUMN confirmed_at timestamptz,
    ADD COLUMN confirmed_by bigint REFERENCES staff_users (id),
    ADD COLUMN confirmation_note text CHECK (length(confirmation_note) <= 1000),
    ADD CONSTRAINT placements_confirmation CHECK (
        (confirmed_at IS NULL OR (confirmation_required AND confirmed_by IS NOT NULL AND confirmed_at >= recorded_at))
        AND (NOT confirmation_required OR (reverses_id IS NULL AND channel = 'vacancy_hire'))
    );

-- What staff have to confirm, oldest first.
CREATE INDEX placements_awaiting_confirmation ON placements (recorded_at) WHERE confirmation_required AND confirmed_at IS NULL;

-- The entries that count as known before `as_of`: live (0014: recorded, not reversed) and, for a
-- hire awaiting confirmation, confirmed by then; so a confirmed hire counts from its confirmation
-- and a figure as of an earlier day is unchanged. Live entries stay live for everything else (the
-- employer sees its hire, staff can reverse it, the worker is no longer seeking).
CREATE FUNCTION countable_placements(as_of timestamptz DEFAULT 'infinity') RETURNS SETOF placements
    LANGUAGE sql STABLE AS $$
    SELECT p.* FROM live_placements(as_of) p
    WHERE NOT p.confirmation_required OR p.confirmed_at < as_of
$$;

-- counted_placements_on (0032) over the entries that count.
CREATE OR REPLACE FUNCTION counted_placements_on(basis text, period_start date, period_end date, as_of timestamptz, abroad_only boolean,
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
