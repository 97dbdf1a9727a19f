-- The province in the key of every table that holds a person's data (issue 23 §4), so that the
-- registry can be distributed by province on Citus without changing the API (docs/scaling.md,
-- "The national design"). Citus requires of a distributed table that every primary key, unique
-- constraint, unique index and exclusion constraint include the distribution column, and that every
-- foreign key between two distributed tables include it on both sides. This migration makes that
-- true here, on one PostgreSQL:
--
-- * each table of `person_tables()` (below) gains `province_code`, the 2025 code of the province
--   whose registry holds the row, which defaults to the one row of `registry_province`;
-- * its primary key, unique constraints and indexes and exclusion constraints gain the column at
--   their end, keeping their names (lookups by id still use the key's first column, and error
--   messages still name the same constraint);
-- * every foreign key from one of these tables to another gains the column on both sides, so a row
--   can only point at a row of its own province.
--
-- Tables outside the list (the ward and occupation catalogues, employers and their vacancies, courses,
-- job fairs, staff accounts, targets, weights) are Citus reference tables in the national design:
-- a person's rows may point at them, and none of them points at a person's row (checked below).
-- Ids stay globally unique (identity columns), so `GET /workers/{id}` keeps its meaning.

CREATE TABLE registry_province (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The province of the registry: where workers are already registered, the 2025 province most of
-- their wards belong to; on an empty database 92, the 2025 Cần Thơ that Hậu Giang (93, the default
-- HOME_PROVINCE) joined. Another province's database sets it once, before its first registration
-- (docs/operations.md).
INSERT INTO registry_province (province_code)
SELECT COALESCE((SELECT wd.province_code FROM workers w JOIN wards_2025 wd USING (ward_code)
                 GROUP BY wd.province_code ORDER BY count(*) DESC, wd.province_code LIMIT 1), '92');

-- The registry's province, for queries.
CREATE FUNCTION registry_province() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT province_code FROM registry_province $$;

-- The tables that hold a person's data, or point at rows that do (distributed by province). A
-- later migration that adds such a table adds its name here.
CREATE TABLE person_table_names (
    name text PRIMARY KEY CHECK (name ~ '^[a-z_]{1,63}$')
);
INSERT INTO person_table_names (name) VALUES
    ('households'), ('household_statuses'), ('workers'), ('worker_occupations'), ('worker_skills'),
    ('worker_preferred_areas'), ('worker_consents'), ('worker_merges'), ('duplicate_dismissals'),
    ('enrolments'), ('training_supports'), ('overseas_contracts'), ('referrals'), ('referral_events'),
    ('placements'), ('placement_follow_ups'), ('matching_changes'), ('worker_messages'),
    ('worker_message_attempts'), ('ethnicity_unmapped'), ('job_fair_attendances'), ('job_fair_interviews'),
    ('import_runs'), ('export_files'), ('export_downloads'), ('audit_log'), ('webhook_deliveries');
REVOKE INSERT, UPDATE, DELETE ON person_table_names FROM jobmatch_service;
GRANT SELECT ON person_table_names TO jobmatch_service;

-- Their names, in order.
CREATE FUNCTION person_tables() RETURNS text[]
    LANGUAGE sql STABLE
    AS $$ SELECT array_agg(name ORDER BY name) FROM person_table_names $$;

-- Each person table's `province_code` defaults to the registry's province as a constant (a function
-- call in the default cost a microsecond a row on an import). Once a person is registered the
-- province is fixed: rows of two provinces in one database would break the foreign keys' promise
-- that a row points only within its province. Before that, changing it changes every default.
CREATE FUNCTION registry_province_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    IF NEW.province_code IS DISTINCT FROM OLD.province_code THEN
        IF EXISTS (SELECT 1 FROM workers) OR EXISTS (SELECT 1 FROM households) THEN
            RAISE EXCEPTION 'the registry''s province cannot change once people are registered'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'registry_province_fixed';
        END IF;
        FOREACH t IN ARRAY person_tables() LOOP
            EXECUTE format('ALTER TABLE %I ALTER COLUMN province_code SET DEFAULT %L', t, NEW.province_code);
        END LOOP;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER registry_province_fixed BEFORE UPDATE ON registry_province
    FOR EACH ROW EXECUTE FUNCTION registry_province_fixed();

-- The service reads the province and may not change it (the owner does, with the migrations).
REVOKE INSERT, UPDATE, DELETE ON registry_province FROM jobmatch_service;
GRANT SELECT ON registry_province TO jobmatch_service;

DO $$
DECLARE
    home    text := registry_province();
    tables  regclass[] := (SELECT array_agg(t::regclass) FROM unnest(person_tables()) t);
    outside text;
    t       regclass;
    c       record;
    fks     jsonb := '[]';
    fk      jsonb;
    cols    text;
BEGIN
    -- A reference table may not point at a distributed one.
    SELECT string_agg(format('%s -> %s', conrelid::regclass, confrelid::regclass), ', ') INTO outside
    FROM pg_constraint
    WHERE contype = 'f' AND confrelid = ANY (tables) AND NOT conrelid = ANY (tables)
      AND conrelid::regclass::text NOT LIKE 'partitions.%';
    IF outside IS NOT NULL THEN
        RAISE EXCEPTION 'tables outside person_tables() point at person tables: %', outside;
    END IF;

    -- The column, whose constant default fills the existing rows without rewriting the table.
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ALTER TABLE %s ADD COLUMN province_code text NOT NULL DEFAULT %L', t, home);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (province_code ~ ''^[0-9]{2}$'')',
                       t, t::text || '_province_code_check');
    END LOOP;

    -- The foreign keys between person tables are noted and dropped (they depend on the keys).
    FOR c IN
        SELECT oid, conrelid::regclass AS rel, confrelid::regclass AS target, conname, conkey, confkey,
               confupdtype, confdeltype, confdelsetcols, condeferrable, condeferred
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY (tables) AND confrelid = ANY (tables) AND conparentid = 0
    LOOP
        fks := fks || jsonb_build_object(
            'rel', c.rel::text, 'target', c.target::text, 'name', c.conname,
            'cols', (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)
                     FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.rel AND a.attnum = k.n),
            'refcols', (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)
                        FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                        JOIN pg_attribute a ON a.attrelid = c.target AND a.attnum = k.n),
            'ondelete', c.confdeltype, 'onupdate', c.confupdtype,
            'deferrable', c.condeferrable, 'deferred', c.condeferred);
        IF c.confdelsetcols IS NOT NULL OR c.confdeltype IN ('n', 'd') THEN
            RAISE EXCEPTION 'foreign key % sets columns on delete: make it by hand', c.conname;
        END IF;
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.rel, c.conname);
    END LOOP;

    -- Primary keys, unique and exclusion constraints gain the column at their end, same names.
    FOR c IN
        SELECT conrelid::regclass AS rel, conname, contype, pg_get_constraintdef(oid) AS def,
               (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)
                FROM unnest(conkey) WITH ORDINALITY k(n, i)
                JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n) AS cols
        FROM pg_constraint
        WHERE contype IN ('p', 'u', 'x') AND conrelid = ANY (tables) AND conparentid = 0
    LOOP
        IF c.contype = 'x' THEN
            -- EXCLUDE USING gist (a WITH =, b WITH &&) [WHERE ...]: the column joins with "=".
            cols := regexp_replace(c.def, '^(EXCLUDE USING \w+ \()', '\1province_code WITH =, ');
            IF cols = c.def THEN RAISE EXCEPTION 'unexpected exclusion constraint %', c.def; END IF;
        ELSIF c.def !~ '^(PRIMARY KEY|UNIQUE) \([^()]*\)$' THEN
            RAISE EXCEPTION 'unexpected key %: make it by hand', c.def;
        ELSE
            cols := format('%s (%s, province_code)', CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, c.cols);
        END IF;
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', c.rel, c.conname, c.conname, cols);
    END LOOP;

    -- Unique indexes that are not constraints (partial ones, mostly): made again with the column.
    FOR c IN
        SELECT i.indexrelid::regclass AS idx, (SELECT relname FROM pg_class WHERE oid = i.indexrelid) AS name, i.indrelid::regclass AS rel, pg_get_indexdef(i.indexrelid) AS def,
               i.indexprs IS NOT NULL AS has_expressions,
               (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, i)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols,
               pg_get_expr(i.indpred, i.indrelid) AS predicate,
               (SELECT am.amname FROM pg_class ic JOIN pg_am am ON am.oid = ic.relam WHERE ic.oid = i.indexrelid) AS method
        FROM pg_index i
        WHERE i.indisunique AND i.indrelid = ANY (tables)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    LOOP
        IF c.has_expressions OR c.method <> 'btree' THEN
            RAISE EXCEPTION 'unexpected unique index %: make it by hand', c.def;
        END IF;
        EXECUTE format('DROP INDEX %s', c.idx);
        EXECUTE format('CREATE UNIQUE INDEX %I ON %s (%s, province_code)%s',
                       c.name, c.rel, c.cols,
                       CASE WHEN c.predicate IS NULL THEN '' ELSE ' WHERE ' || c.predicate END);
    END LOOP;

    -- The foreign keys again, with the province on both sides.
    FOR fk IN SELECT * FROM jsonb_array_elements(fks) LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%s, province_code) REFERENCES %s (%s, province_code)%s%s%s',
            fk->>'rel', fk->>'name', fk->>'cols', fk->>'target', fk->>'refcols',
            CASE fk->>'ondelete' WHEN 'c' THEN ' ON DELETE CASCADE' WHEN 'r' THEN ' ON DELETE RESTRICT' ELSE '' END,
            CASE fk->>'onupdate' WHEN 'c' THEN ' ON UPDATE CASCADE' WHEN 'r' THEN ' ON UPDATE RESTRICT' ELSE '' END,
            CASE WHEN (fk->>'deferrable')::boolean
                 THEN ' DEFERRABLE' || CASE WHEN (fk->>'deferred')::boolean THEN ' INITIALLY DEFERRED' ELSE '' END
                 ELSE '' END);
    END LOOP;
END $$;
