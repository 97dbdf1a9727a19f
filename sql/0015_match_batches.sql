-- Batch assignment: each run of `jobmatch match --all` (or the staff endpoint) is recorded with
-- what it proposed; proposals are referrals in status 'proposed' that name their batch.
CREATE TABLE match_batches (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    as_of                  date NOT NULL,
    vacancies              integer NOT NULL CHECK (vacancies >= 0),
    candidates_per_vacancy integer NOT NULL CHECK (candidates_per_vacancy BETWEEN 1 AND 200),
    proposals              integer NOT NULL CHECK (proposals >= 0),
    priority_proposals     integer NOT NULL CHECK (priority_proposals >= 0),
    total_score            bigint NOT NULL CHECK (total_score >= 0),
    greedy_proposals       integer NOT NULL CHECK (greedy_proposals >= 0),
    greedy_priority        integer NOT NULL CHECK (greedy_priority >= 0),
    greedy_total_score     bigint NOT NULL CHECK (greedy_total_score >= 0),
    duration_ms            integer NOT NULL CHECK (duration_ms >= 0),
    created_by             bigint REFERENCES staff_users (id),
    created_at             timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE referrals ADD COLUMN batch_id bigint REFERENCES match_batches (id);
CREATE INDEX referrals_batch ON referrals (batch_id, id) WHERE batch_id IS NOT NULL;
CREATE INDEX referrals_proposed ON referrals (worker_id) WHERE status = 'proposed';
