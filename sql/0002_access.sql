-- Staff accounts, their API tokens and browser sessions, and the audit log.

CREATE TABLE staff_users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name  text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
    role          text NOT NULL CHECK (role IN ('admin', 'officer', 'viewer')),
    password_hash text,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token is stored; the prefix is shown for support.
CREATE TABLE staff_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_user_id bigint NOT NULL REFERENCES staff_users (id),
    prefix        text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 32),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_tokens_user ON staff_tokens (staff_user_id);

-- Browser sessions (staff web app); the id is stored hashed.
CREATE TABLE staff_sessions (
    id_hash       bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    staff_user_id bigint NOT NULL REFERENCES staff_users (id),
    expires_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at > created_at)
);
CREATE INDEX staff_sessions_user ON staff_sessions (staff_user_id);

-- Who did what, when, to which record; before/after images of writes; every export.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'employer', 'system')),
    actor_id    bigint,
    action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity      text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
    entity_id   text,
    before      jsonb,
    after       jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((actor_kind = 'system') = (actor_id IS NULL))
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_created ON audit_log (created_at);
