-- The employer API: vacancies as employers describe them, idempotent POSTs, referral outcomes
-- recorded by the employer, and webhooks that tell an employer's system about new referrals.

ALTER TABLE vacancies
    ADD COLUMN legacy_ward_code     text REFERENCES legacy_wards (ward_code),
    ADD COLUMN working_hours        text CHECK (length(working_hours) <= 200),
    ADD COLUMN contact_name         text CHECK (length(contact_name) <= 150),
    ADD COLUMN contact_phone        text CHECK (contact_phone ~ '^0[0-9]{9,10}$'),
    ADD COLUMN contact_email        text CHECK (length(contact_email) <= 200 AND contact_email LIKE '%_@_%'),
    ADD COLUMN open_to_abroad_bound boolean NOT NULL DEFAULT false;
CREATE INDEX vacancies_employer_updated ON vacancies (employer_id, updated_at, id);

-- The first successful response to a POST with an Idempotency-Key (IETF draft), stored in the
-- transaction of the work it answers and replayed for a retry with the same key and body.
CREATE TABLE idempotency_keys (
    employer_id  bigint NOT NULL REFERENCES employers (id),
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method       text NOT NULL,
    path         text NOT NULL CHECK (length(path) <= 2000),
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
    status       integer NOT NULL CHECK (status BETWEEN 200 AND 299),
    headers      jsonb NOT NULL,
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
    PRIMARY KEY (employer_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

ALTER TABLE referrals
    ADD COLUMN interviewed_on    date,
    ADD COLUMN interview_outcome text CHECK (interview_outcome IN ('passed', 'failed', 'no_show')),
    ADD COLUMN interview_note    text CHECK (length(interview_note) <= 1000),
    ADD COLUMN rejection_reason  text CHECK (length(rejection_reason) <= 1000),
    ADD CONSTRAINT referrals_interview_complete CHECK ((interviewed_on IS NULL) = (interview_outcome IS NULL));
CREATE INDEX referrals_vacancy ON referrals (vacancy_id, id);

-- Where an employer's system wants to hear about new referrals. The secret signs each delivery
-- (HMAC-SHA256); it is shown once, and kept because signing needs it.
CREATE TABLE employer_webhooks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id bigint NOT NULL REFERENCES employers (id),
    url         text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    secret      text NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz
);
CREATE INDEX employer_webhooks_employer ON employer_webhooks (employer_id) WHERE removed_at IS NULL;

-- One event to one webhook, tried until delivered or given up (retried with backoff).
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES employer_webhooks (id),
    event           text NOT NULL CHECK (event IN ('referral.created')),
    payload         jsonb NOT NULL,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    last_status     integer,
    last_error      text CHECK (length(last_error) <= 500),
    delivered_at    timestamptz,
    gave_up_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (delivered_at IS NULL OR gave_up_at IS NULL)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);
