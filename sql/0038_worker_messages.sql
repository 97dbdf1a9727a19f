-- Issue 22, section 4: text messages to workers. A worker may consent to messages like to any
-- other purpose; the outbox keeps every message with its state, the text as sent and the phone it
-- went to (personal data: never logged), and each attempt at the gateway.
ALTER TABLE worker_consents DROP CONSTRAINT worker_consents_purpose_check;
ALTER TABLE worker_consents ADD CONSTRAINT worker_consents_purpose_check
    CHECK (purpose IN ('referral', 'share_contact_with_employer', 'data_processing', 'messages'));

CREATE SEQUENCE worker_message_print_batches;

CREATE TABLE worker_messages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id        bigint NOT NULL REFERENCES workers (id),
    kind             text NOT NULL CHECK (kind IN ('referral', 'interview', 'job_fair', 'follow_up')),
    -- The event that queued it ('referral:12', 'interview:12', 'follow_up:34:6', 'job_fair:...'):
    -- one message per event and worker, however often the event is seen.
    source           text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    -- The text as sent; never a run of 12 digits (the shape of a CCCD).
    body             text NOT NULL CHECK (length(body) BETWEEN 1 AND 480 AND body !~ '[0-9]{12}'),
    -- Cleared (with the message cancelled if not yet sent) when the worker is anonymised.
    phone            text CHECK (phone ~ '^0[0-9]{9}$'),
    state            text NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'printed', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- Why the last attempt failed, in the service's words (never the gateway's body or a phone).
    last_error       text CHECK (length(last_error) <= 200),
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    printed_at       timestamptz,
    print_batch      bigint,
    queued_by        bigint REFERENCES staff_users (id),
    UNIQUE (source, worker_id),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((state = 'printed') = (printed_at IS NOT NULL AND print_batch IS NOT NULL)),
    CHECK (phone IS NOT NULL OR state IN ('sent', 'printed', 'failed', 'cancelled'))
);
CREATE INDEX worker_messages_due ON worker_messages (next_attempt_at, id) WHERE state IN ('queued', 'sending');
CREATE INDEX worker_messages_sent_on ON worker_messages (sent_at) WHERE state IN ('sent', 'sending');
CREATE INDEX worker_messages_worker ON worker_messages (worker_id);
CREATE INDEX worker_messages_batch ON worker_messages (print_batch) WHERE print_batch IS NOT NULL;

-- Each POST to the gateway (the rate limit counts these).
CREATE TABLE worker_message_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  bigint NOT NULL REFERENCES worker_messages (id),
    started_at  timestamptz NOT NULL DEFAULT now(),
    status      integer,
    error       text CHECK (length(error) <= 200)
);
CREATE INDEX worker_message_attempts_started ON worker_message_attempts (started_at);
CREATE INDEX worker_message_attempts_message ON worker_message_attempts (message_id);

-- A worker anonymised: the phone leaves the outbox too, and what was not sent is not.
CREATE FUNCTION worker_messages_forget_phone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE worker_messages SET phone = NULL,
           state = CASE WHEN state IN ('queued', 'sending') THEN 'cancelled' ELSE state END
    WHERE worker_id = NEW.id AND phone IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER workers_anonymised_messages AFTER UPDATE OF anonymised_at ON workers
    FOR EACH ROW WHEN (NEW.anonymised_at IS NOT NULL AND OLD.anonymised_at IS NULL)
    EXECUTE FUNCTION worker_messages_forget_phone();
