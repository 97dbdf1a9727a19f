-- The audit log and the webhook deliveries grow for ever (issue 23): both become tables partitioned
-- by month of created_at (Vietnam's months, UTC+7), so a read over a window touches only its months
-- and retention drops a whole month instead of deleting rows. Every row of an existing database is
-- moved into its month; ids go on from where they were.
--
-- The partitions live in the schema `partitions`, owned by the schema's owner, on which the
-- service's role has no right at all: it reads and writes through the parent tables only (whose
-- grants are what 0025 gave), so no partition can be changed or emptied by naming it. Partitions
-- are made (months ahead) and dropped only by the SECURITY DEFINER functions below, which the
-- retention service calls; each table also has a DEFAULT partition, so an insert never fails for
-- want of its month.
CREATE SCHEMA partitions;
REVOKE ALL ON SCHEMA partitions FROM PUBLIC;

-- The first instant of the month of `month` (any day of it) in Vietnam's time.
CREATE FUNCTION partition_month_start(month date) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (date_trunc('month', month)::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' $$;

-- Makes the partition of `parent` (audit_log or webhook_deliveries) for the month of `month`
-- unless it exists; returns whether it made one. A month whose rows already went to the DEFAULT
-- partition is left there (PostgreSQL refuses a partition whose rows the default holds; they stay
-- readable through the parent) and false is returned. An audit log partition gets the append-only
-- statement trigger of its parent (row triggers are cloned by PostgreSQL, statement triggers are
-- not), so DELETE and TRUNCATE are refused on the partition itself too.
CREATE FUNCTION partition_create_month(parent text, month date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    SET datestyle = 'ISO, YMD'
    AS $$
DECLARE
    name text := parent || '_' || to_char(month, 'YYYY_MM');
    low timestamptz := partition_month_start(month);
    high timestamptz := partition_month_start((date_trunc('month', month) + interval '1 month')::date);
    crowded boolean;
BEGIN
    IF parent NOT IN ('audit_log', 'webhook_deliveries') THEN
        RAISE EXCEPTION 'no monthly partitions for %', parent USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF to_regclass('partitions.' || name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM partitions.%I WHERE created_at >= $1 AND created_at < $2)', parent || '_default')
        INTO crowded USING low, high;
    IF crowded THEN
        RAISE WARNING 'the rows of % for % are in its default partition; the month keeps no partition of its own', parent, to_char(month, 'YYYY-MM');
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE partitions.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)', name, parent, low, high);
    IF parent = 'audit_log' THEN
        EXECUTE format(
            'CREATE TRIGGER audit_log_append_only BEFORE DELETE OR TRUNCATE ON partitions.%I FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse_change()',
            name);
    END IF;
    RETURN true;
END;
$$;

-- Makes the partitions of both tables for this month and the next `months_ahead` (0 to 24)
-- months; returns how many it made. Run by the migration and by every retention round.
CREATE FUNCTION partitions_make_ahead(months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$
DECLARE
    made integer := 0;
    this_month date := date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
    parent text;
    step integer;
BEGIN
    IF months_ahead NOT BETWEEN 0 AND 24 THEN
        RAISE EXCEPTION 'months ahead must be between 0 and 24' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH parent IN ARRAY ARRAY['audit_log', 'webhook_deliveries'] LOOP
        FOR step IN 0 .. months_ahead LOOP
            IF partition_create_month(parent, (this_month + make_interval(months => step))::date) THEN
                made := made + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN made;
END;
$$;

-- Drops the monthly partitions of `parent` whose whole month ended before `cutoff`; returns one
-- row per partition dropped with the rows it held, and writes one audit entry for each. The
-- floors are kept here, whoever calls: no audit month younger than 5 years (the plan's length,
-- docs/security.md), no delivery month younger than 90 days, and never a month that still holds a
-- delivery not yet delivered or given up. The DEFAULT partition is never dropped.
CREATE FUNCTION partitions_drop_before(parent text, cutoff timestamptz)
    RETURNS TABLE (partition_name text, row_count bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$
DECLARE
    child text;
    month date;
    pending boolean;
BEGIN
    IF parent = 'audit_log' AND cutoff > now() - interval '5 years' THEN
        RAISE EXCEPTION 'the audit log is kept at least 5 years' USING ERRCODE = 'insufficient_privilege';
    ELSIF parent = 'webhook_deliveries' AND cutoff > now() - interval '90 days' THEN
        RAISE EXCEPTION 'webhook deliveries are kept at least 90 days' USING ERRCODE = 'insufficient_privilege';
    ELSIF parent NOT IN ('audit_log', 'webhook_deliveries') THEN
        RAISE EXCEPTION 'no monthly partitions for %', parent USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOREACH child IN ARRAY ARRAY(
        SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = ('public.' || parent)::regclass AND c.relnamespace = 'partitions'::regnamespace
          AND c.relname ~ ('^' || parent || '_[0-9]{4}_[0-9]{2}$')
        ORDER BY c.relname)
    LOOP
        month := to_date(right(child, 7), 'YYYY_MM');
        CONTINUE WHEN partition_month_start((month + interval '1 month')::date) > cutoff;
        IF parent = 'webhook_deliveries' THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM partitions.%I WHERE delivered_at IS NULL AND gave_up_at IS NULL)', child)
                INTO pending;
            CONTINUE WHEN pending;
        END IF;
        partition_name := child;
        EXECUTE format('SELECT count(*) FROM partitions.%I', child) INTO row_count;
        EXECUTE format('DROP TABLE partitions.%I', child);
        INSERT INTO public.audit_log (actor_kind, action, entity, entity_id, before, after)
        VALUES ('system', 'drop_partition', parent, NULL,
                jsonb_build_object('month', to_char(month, 'YYYY-MM'), 'rows', row_count::text),
                jsonb_build_object('reason', 'retention'));
        RETURN NEXT;
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION partition_create_month(text, date), partitions_make_ahead(integer), partitions_drop_before(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION partitions_make_ahead(integer), partitions_drop_before(text, timestamptz) TO jobmatch_service;

-- The audit log: the old table is renamed, the partitioned one made with the same columns and
-- checks, the rows moved with their ids, then the old table dropped and the indexes, triggers and
-- grants made again. No foreign key points at either table.
ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'employer', 'system')),
    actor_id    bigint,
    action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity      text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
    entity_id   text,
    before      jsonb,
    after       jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((actor_kind = 'system') = (actor_id IS NULL))
) PARTITION BY RANGE (created_at);
CREATE TABLE partitions.audit_log_default PARTITION OF audit_log DEFAULT;

ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_unpartitioned;
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY,
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
) PARTITION BY RANGE (created_at);
CREATE TABLE partitions.webhook_deliveries_default PARTITION OF webhook_deliveries DEFAULT;

-- A partition for every month from the oldest row to two months ahead.
DO $$
DECLARE
    parent text;
    oldest date;
    month date;
BEGIN
    FOREACH parent IN ARRAY ARRAY['audit_log', 'webhook_deliveries'] LOOP
        EXECUTE format('SELECT (min(created_at) AT TIME ZONE ''Asia/Ho_Chi_Minh'')::date FROM %I', parent || '_unpartitioned') INTO oldest;
        FOR month IN
            SELECT generate_series(date_trunc('month', coalesce(oldest, now() AT TIME ZONE 'Asia/Ho_Chi_Minh')),
                                   date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh'), interval '1 month')::date
        LOOP
            PERFORM partition_create_month(parent, month);
        END LOOP;
    END LOOP;
    PERFORM partitions_make_ahead(2);
END
$$;

INSERT INTO audit_log (id, actor_kind, actor_id, action, entity, entity_id, before, after, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, actor_kind, actor_id, action, entity, entity_id, before, after, created_at FROM audit_log_unpartitioned;
SELECT setval(pg_get_serial_sequence('audit_log', 'id'),
              greatest((SELECT max(id) FROM audit_log), (SELECT last_value FROM audit_log_id_seq), 1));
DROP TABLE audit_log_unpartitioned;
ALTER SEQUENCE audit_log_id_seq1 RENAME TO audit_log_id_seq;

INSERT INTO webhook_deliveries (id, webhook_id, event, payload, attempts, next_attempt_at, last_status, last_error,
                                delivered_at, gave_up_at, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, webhook_id, event, payload, attempts, next_attempt_at, last_status, last_error, delivered_at, gave_up_at, created_at
    FROM webhook_deliveries_unpartitioned;
SELECT setval(pg_get_serial_sequence('webhook_deliveries', 'id'),
              greatest((SELECT max(id) FROM webhook_deliveries), (SELECT last_value FROM webhook_deliveries_id_seq), 1));
DROP TABLE webhook_deliveries_unpartitioned;
ALTER SEQUENCE webhook_deliveries_id_seq1 RENAME TO webhook_deliveries_id_seq;

-- A primary key of a partitioned table includes the partition key; ids stay unique through the
-- identity (nothing else writes them).
ALTER TABLE audit_log ADD PRIMARY KEY (id, created_at);
-- A record's history, newest first (GET /audit), and one account's entries over a window
-- (`jobmatch audit touched`).
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, created_at);

ALTER TABLE webhook_deliveries ADD PRIMARY KEY (id, created_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);

-- The triggers of 0006 and 0021, on the parent: the row trigger is cloned to every partition, the
-- statement trigger is made on each by partition_create_month (and here on the default).
CREATE TRIGGER audit_log_append_only
    BEFORE DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_redaction_only
    BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_allow_redaction_only();
CREATE TRIGGER audit_log_append_only
    BEFORE DELETE OR TRUNCATE ON partitions.audit_log_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The grants of 0025 again: the new tables got the service's DML through the default privileges;
-- the audit trail is written and read, never changed.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM jobmatch_service;
