-- Pairs staff looked at and found to be two different people: no longer listed as duplicates.
CREATE TABLE duplicate_dismissals (
    first_id     bigint NOT NULL REFERENCES workers (id),
    second_id    bigint NOT NULL REFERENCES workers (id),
    reason       text CHECK (length(reason) <= 1000),
    dismissed_by bigint REFERENCES staff_users (id),
    dismissed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
);
