-- Two records found to be one person are merged: the duplicate stays, marked with the record it
-- was merged into, so nothing is lost and the merge can be undone.
ALTER TABLE workers
    ADD COLUMN merged_into bigint REFERENCES workers (id),
    ADD COLUMN merged_at   timestamptz,
    ADD CONSTRAINT workers_merged_not_self CHECK (merged_into <> id),
    ADD CONSTRAINT workers_merged_with_time CHECK ((merged_into IS NULL) = (merged_at IS NULL));
CREATE INDEX workers_merged_into ON workers (merged_into) WHERE merged_into IS NOT NULL;

-- What each merge changed, so that undoing it puts every row back:
--   filled: fields of the kept record that were empty and were taken from the duplicate;
--   moved:  ids of rows whose worker_id moved to the kept record, by table;
--   copied: occupation codes and skill ids added to the kept record (the duplicate keeps its own).
CREATE TABLE worker_merges (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kept_id    bigint NOT NULL REFERENCES workers (id),
    merged_id  bigint NOT NULL REFERENCES workers (id),
    reason     text CHECK (length(reason) <= 1000),
    filled     text[] NOT NULL DEFAULT '{}',
    moved      jsonb NOT NULL DEFAULT '{}',
    copied     jsonb NOT NULL DEFAULT '{}',
    merged_by  bigint REFERENCES staff_users (id),
    merged_at  timestamptz NOT NULL DEFAULT now(),
    undone_by  bigint REFERENCES staff_users (id),
    undone_at  timestamptz CHECK (undone_at >= merged_at),
    CHECK (kept_id <> merged_id)
);
CREATE UNIQUE INDEX worker_merges_one_live ON worker_merges (merged_id) WHERE undone_at IS NULL;
CREATE INDEX worker_merges_kept ON worker_merges (kept_id);

-- The person a record stands for: itself, or the record it was merged into. Counts of people
-- (placements toward targets) count persons, so a merged pair is one.
CREATE FUNCTION worker_person(worker bigint) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT COALESCE((SELECT merged_into FROM workers WHERE id = worker), worker) $$;

-- A withdrawal of consent records how it was given and who recorded it, like the consent.
ALTER TABLE worker_consents
    ADD COLUMN withdrawal_means text CHECK (withdrawal_means IN ('paper_form', 'in_person', 'electronic')),
    ADD COLUMN withdrawn_by     bigint REFERENCES staff_users (id),
    ADD CONSTRAINT worker_consents_withdrawal_complete CHECK (withdrawal_means IS NULL OR withdrawn_at IS NOT NULL);
