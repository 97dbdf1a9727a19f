-- The employer API's busiest write, POST /api/v1/vacancies, in one round trip (issue 21).

-- Skill names are matched ignoring case and diacritics; this index serves that lookup.
CREATE INDEX skills_unaccented_name ON skills (lower(immutable_unaccent(name_vi)));

-- Creates an employer's vacancy with its skills and audit entry and, when the request carries an
-- Idempotency-Key, does what IdempotencyMiddleware does around it, all in one statement run in
-- autocommit: takes the key's transaction lock without waiting (the same lock the middleware
-- takes, so both paths exclude each other), replays the stored response or refuses another body,
-- forgets an expired key, and stores the new response under the key.
--
-- The service has already decoded and validated the request, checked its ward, occupation and
-- skills against its in-memory catalogues, and rendered the response body with placeholders for
-- what only the insert knows: `"id":-1`, `"created_at":"1970-01-01T00:00:00Z"` and the same for
-- `updated_at` (a key followed by its colon cannot occur inside an encoded string, whose quotes
-- are escaped).
--
-- outcome: 'created' (status, headers, body), 'replayed' (the stored status, headers, body),
-- 'busy' (another request holds the key), 'key_reused' (the key answered another request),
-- 'reference_taken' (existing_id is the vacancy with that reference).
CREATE FUNCTION employer_post_vacancy(
    p_employer_id bigint, p_key text, p_method text, p_path text, p_request_hash bytea, p_headers jsonb, p_body_template text,
    p_reference text, p_title text, p_description text, p_occupation_code text, p_ward_code text, p_slots integer,
    p_closing_date date, p_wage_min bigint, p_wage_max bigint, p_working_hours text, p_min_age integer, p_max_age integer,
    p_contact_name text, p_contact_phone text, p_contact_email text, p_open_to_abroad_bound boolean, p_skills bigint[],
    p_audit jsonb,
    OUT outcome text, OUT status integer, OUT headers text, OUT body bytea, OUT existing_id bigint
)
LANGUAGE plpgsql AS $$
DECLARE
    stored idempotency_keys%ROWTYPE;
    new_id bigint;
    created timestamptz;
    stamp text;
BEGIN
    IF p_key IS NOT NULL THEN
        IF NOT pg_try_advisory_xact_lock(hashtextextended(p_employer_id::text || ':' || p_key, 0)) THEN
            outcome := 'busy';
            RETURN;
        END IF;
        SELECT * INTO stored FROM idempotency_keys k WHERE k.employer_id = p_employer_id AND k.key = p_key;
        IF FOUND THEN
            IF stored.expires_at <= now() THEN
                DELETE FROM idempotency_keys k WHERE k.employer_id = p_employer_id AND k.key = p_key;
            ELSIF stored.request_hash <> p_request_hash THEN
                outcome := 'key_reused';
                RETURN;
            ELSE
                outcome := 'replayed';
                status := stored.status;
                headers := stored.headers::text;
                body := stored.body;
                RETURN;
            END IF;
        END IF;
    END IF;
    IF p_reference IS NOT NULL THEN
        SELECT v.id INTO existing_id FROM vacancies v WHERE v.employer_id = p_employer_id AND v.reference = p_reference;
        IF FOUND THEN
            outcome := 'reference_taken';
            RETURN;
        END IF;
    END IF;
    INSERT INTO vacancies (employer_id, reference, title, description, occupation_code, ward_code, slots, closing_date, wage_min,
                           wage_max, working_hours, min_age, max_age, contact_name, contact_phone, contact_email, open_to_abroad_bound)
    VALUES (p_employer_id, p_reference, p_title, p_description, p_occupation_code, p_ward_code, p_slots, p_closing_date, p_wage_min,
            p_wage_max, p_working_hours, p_min_age, p_max_age, p_contact_name, p_contact_phone, p_contact_email, p_open_to_abroad_bound)
    RETURNING id, created_at INTO new_id, created;
    INSERT INTO vacancy_skills (vacancy_id, skill_id) SELECT new_id, s FROM unnest(p_skills) s;
    INSERT INTO audit_log (actor_kind, actor_id, action, entity, entity_id, after)
    VALUES ('employer', p_employer_id, 'create', 'vacancy', new_id::text, p_audit);
    -- The date-time form of the generated handlers (ISO 8601, UTC, whole seconds).
    stamp := '"' || to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"';
    body := convert_to(
        replace(replace(replace(p_body_template,
            '"id":-1', '"id":' || new_id),
            '"created_at":"1970-01-01T00:00:00Z"', '"created_at":' || stamp),
            '"updated_at":"1970-01-01T00:00:00Z"', '"updated_at":' || stamp),
        'UTF8'
    );
    outcome := 'created';
    status := 201;
    headers := p_headers::text;
    IF p_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (employer_id, key, method, path, request_hash, status, headers, body, expires_at)
        VALUES (p_employer_id, p_key, p_method, p_path, p_request_hash, status, p_headers, body, now() + interval '24 hours');
    END IF;
END
$$;
