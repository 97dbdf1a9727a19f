-- Issue 22, section 3: follow-up calls 3, 6 and 12 months after a counted placement, and what they
-- found. One outcome per placement and milestone; the history of a worker's jobs stays in the ledger.
CREATE TABLE placement_follow_ups (
    id            bigserial PRIMARY KEY,
    placement_id  bigint NOT NULL REFERENCES placements (id),
    months        smallint NOT NULL CHECK (months IN (3, 6, 12)),
    outcome       text NOT NULL CHECK (outcome IN ('still_working', 'changed_job', 'stopped', 'unreachable')),
    contacted_on  date NOT NULL,
    note          text CHECK (length(note) <= 1000),
    recorded_by   bigint REFERENCES staff_users (id),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (placement_id, months)
);

-- A milestone's follow-ups, for the retention figures.
CREATE INDEX placement_follow_ups_months ON placement_follow_ups (months, outcome);
