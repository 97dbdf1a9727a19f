-- Sign-in attempts refused by the throttle are kept (who tried, from where) but marked, so they do
-- not count as failures: hammering a locked account does not lengthen its lock-out.
ALTER TABLE sign_in_attempts ADD COLUMN throttled boolean NOT NULL DEFAULT false;
ALTER TABLE sign_in_attempts ADD CONSTRAINT sign_in_attempts_throttled_failed CHECK (NOT (throttled AND succeeded));

-- Anonymising a worker also masks the before/after images of the audit entries about them: every
-- value becomes '***', the field names stay (what changed, not to what). The audit log stays
-- append-only otherwise: the only UPDATE the trigger lets through is exactly this masking, of an
-- entry about a worker already anonymised; DELETE and TRUNCATE are refused as before.
CREATE FUNCTION audit_image_masked(image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN image IS NULL OR jsonb_typeof(image) <> 'object' THEN image
                    ELSE coalesce((SELECT jsonb_object_agg(key, to_jsonb('***'::text)) FROM jsonb_each(image)), '{}'::jsonb) END
    $$;

CREATE FUNCTION audit_log_allow_redaction_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.actor_kind = OLD.actor_kind AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
       AND NEW.created_at = OLD.created_at
       AND NEW.before IS NOT DISTINCT FROM audit_image_masked(OLD.before)
       AND NEW.after IS NOT DISTINCT FROM audit_image_masked(OLD.after)
       AND OLD.entity = 'worker'
       AND EXISTS (SELECT 1 FROM public.workers w WHERE w.id::text = OLD.entity_id AND w.anonymised_at IS NOT NULL)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only
    BEFORE DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_redaction_only
    BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_allow_redaction_only();

-- Masks the audit images of an anonymised worker; runs with its owner's rights, so the service's
-- role needs no UPDATE on audit_log (it has only INSERT and SELECT). Returns the entries masked.
-- The entry of the anonymisation itself (its legal basis) is kept as written.
CREATE FUNCTION audit_log_redact_worker(worker bigint) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$
DECLARE
    masked integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.workers WHERE id = worker AND anonymised_at IS NOT NULL) THEN
        RAISE EXCEPTION 'worker % is not anonymised', worker USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE public.audit_log
       SET before = audit_image_masked(before), after = audit_image_masked(after)
     WHERE entity = 'worker' AND entity_id = worker::text AND action <> 'anonymise'
       AND (before IS DISTINCT FROM audit_image_masked(before) OR after IS DISTINCT FROM audit_image_masked(after));
    GET DIAGNOSTICS masked = ROW_COUNT;
    RETURN masked;
END;
$$;
-- EXECUTE stays with PUBLIC (PostgreSQL's default), so whichever role the service runs as can call it:
-- it can only mask what an anonymisation already requires masked.
