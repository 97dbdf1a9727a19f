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

-- The entries that count as known before `as_of` (0032): live (0014: recorded, not reversed) and,
-- for a hire awaiting confirmation, confirmed by then; so a confirmed hire counts from its
-- confirmation and a figure as of an earlier day is unchanged. Live entries stay live for
-- everything else (the employer sees its hire, staff can reverse it, the worker is no longer seeking).
CREATE OR REPLACE FUNCTION countable_placements(as_of timestamptz DEFAULT 'infinity') RETURNS SETOF placements
    LANGUAGE sql STABLE AS $$
    SELECT p.* FROM live_placements(as_of) p
    WHERE NOT p.confirmation_required OR p.confirmed_at < as_of
$$;
