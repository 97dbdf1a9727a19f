-- Sign-in to the staff web app: sessions in the database (only the SHA-256 of the cookie's secret is
-- kept), ended at sign-out, after being idle, at an absolute limit, or when the password changes;
-- and every sign-in attempt, to throttle guessing. Replaces the placeholder of 0002, never used.
DROP TABLE staff_sessions;
CREATE TABLE staff_sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_hash    bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    staff_user_id  bigint NOT NULL REFERENCES staff_users (id),
    csrf_token     text NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 128),
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    ended_reason   text CHECK (ended_reason IN ('signed_out', 'password_changed', 'deactivated', 'signed_in_again')),
    CHECK (expires_at > created_at),
    CHECK ((ended_at IS NULL) = (ended_reason IS NULL))
);
CREATE INDEX staff_sessions_open ON staff_sessions (staff_user_id) WHERE ended_at IS NULL;

CREATE TABLE sign_in_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL CHECK (length(username) <= 200),
    client_address  text CHECK (length(client_address) <= 100),
    succeeded       boolean NOT NULL,
    attempted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, attempted_at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (client_address, attempted_at);
