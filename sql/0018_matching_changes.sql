-- One vacancy's candidates are ranked from an in-memory copy of every eligible worker
-- (`CandidateIndex`), read in one snapshot. To stay exact it must know which workers changed since
-- that snapshot: every write to what the ranking reads notes the worker here, with the writing
-- transaction's id, so that a request can ask, in its own transaction, for the workers whose changes
-- the copy's snapshot did not see (`pg_visible_in_snapshot`): no timing, no missed notification.
-- A row without a worker means "anything may have changed" (a course's trade, ward coordinates, a
-- statement touching many workers): the copy is read again. Rows older than two days are deleted
-- (a copy never serves past the day it was read).
CREATE TABLE matching_changes (
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    worker_id   bigint,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX matching_changes_xid ON matching_changes (xid);
CREATE INDEX matching_changes_changed_at ON matching_changes (changed_at);

-- Notes the workers a statement changed. TG_ARGV[0] names the column that holds the worker
-- ('id' on workers, 'worker_id' elsewhere), or 'household_id' (every member of the household),
-- or 'placement' (the worker, and the worker of the placement a reversal reverses), or '*' (anyone).
-- Over 1,000 workers in one statement (an import) notes "anyone" once instead.
CREATE FUNCTION note_matching_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text := TG_ARGV[0];
    rows_query text;
    ids bigint[];
BEGIN
    IF kind = '*' OR TG_OP = 'TRUNCATE' THEN
        INSERT INTO matching_changes (worker_id) VALUES (NULL);
        RETURN NULL;
    END IF;
    rows_query := CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
                             WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
                             ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END;
    IF kind = 'household_id' THEN
        EXECUTE format('SELECT array_agg(DISTINCT w.id) FROM workers w WHERE w.household_id IN (SELECT household_id FROM (%s) r)', rows_query)
            INTO ids;
    ELSIF kind = 'placement' THEN
        EXECUTE format('SELECT array_agg(DISTINCT x) FROM (SELECT r.worker_id AS x FROM (%s) r UNION ALL
                        SELECT p.worker_id FROM (%s) r JOIN placements p ON p.id = r.reverses_id) t', rows_query, rows_query)
            INTO ids;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT r.%I) FROM (%s) r', kind, rows_query) INTO ids;
    END IF;
    IF cardinality(ids) > 1000 THEN
        INSERT INTO matching_changes (worker_id) VALUES (NULL);
    ELSIF cardinality(ids) > 0 THEN
        INSERT INTO matching_changes (worker_id) SELECT unnest(ids);
    END IF;
    RETURN NULL;
END
$$;

-- What the ranking reads (see CandidateFinder and MatchingSnapshot.load).
CREATE TRIGGER workers_matching_ins AFTER INSERT ON workers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('id');
CREATE TRIGGER workers_matching_upd AFTER UPDATE ON workers REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('id');
CREATE TRIGGER workers_matching_del AFTER DELETE ON workers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('id');

CREATE TRIGGER worker_occupations_matching_ins AFTER INSERT ON worker_occupations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER worker_occupations_matching_upd AFTER UPDATE ON worker_occupations REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER worker_occupations_matching_del AFTER DELETE ON worker_occupations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');

CREATE TRIGGER worker_consents_matching_ins AFTER INSERT ON worker_consents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER worker_consents_matching_upd AFTER UPDATE ON worker_consents REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER worker_consents_matching_del AFTER DELETE ON worker_consents REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');

CREATE TRIGGER enrolments_matching_ins AFTER INSERT ON enrolments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER enrolments_matching_upd AFTER UPDATE ON enrolments REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER enrolments_matching_del AFTER DELETE ON enrolments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');

CREATE TRIGGER overseas_contracts_matching_ins AFTER INSERT ON overseas_contracts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER overseas_contracts_matching_upd AFTER UPDATE ON overseas_contracts REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');
CREATE TRIGGER overseas_contracts_matching_del AFTER DELETE ON overseas_contracts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('worker_id');

CREATE TRIGGER placements_matching_ins AFTER INSERT ON placements REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('placement');
CREATE TRIGGER placements_matching_upd AFTER UPDATE ON placements REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('placement');
CREATE TRIGGER placements_matching_del AFTER DELETE ON placements REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('placement');

CREATE TRIGGER household_statuses_matching_ins AFTER INSERT ON household_statuses REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('household_id');
CREATE TRIGGER household_statuses_matching_upd AFTER UPDATE ON household_statuses REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('household_id');
CREATE TRIGGER household_statuses_matching_del AFTER DELETE ON household_statuses REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('household_id');

-- Changes that may reach anyone: a course's trade, ward coordinates, the weights.
CREATE TRIGGER courses_matching AFTER UPDATE OR DELETE ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('*');
CREATE TRIGGER wards_2025_matching AFTER INSERT OR UPDATE OR DELETE ON wards_2025
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('*');
CREATE TRIGGER match_weights_matching AFTER INSERT OR UPDATE OR DELETE ON match_weights
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('*');
CREATE TRIGGER matching_truncated AFTER TRUNCATE ON workers
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('*');
