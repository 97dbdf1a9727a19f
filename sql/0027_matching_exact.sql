-- Matching at any size (issue 18): the batch is solved over every eligible pair and proves it, and
-- the candidate index is patched in place instead of read again.

-- What a batch could fill at most, and its proof of optimality (rows of earlier batches have none).
ALTER TABLE match_batches
    ADD COLUMN open_slots integer CHECK (open_slots >= 0),
    ADD COLUMN most_fillable integer CHECK (most_fillable >= 0),
    ADD COLUMN certificate_violations integer CHECK (certificate_violations >= 0),
    ADD COLUMN pairs_checked bigint CHECK (pairs_checked >= 0);

-- Every changed worker is noted, however many one statement touches (an import of 100,000 notes
-- 100,000 rows): the index patches them in place. Only a truncation still means "anyone".
CREATE OR REPLACE FUNCTION note_matching_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text := TG_ARGV[0];
    rows_query text;
BEGIN
    IF kind = '*' OR TG_OP = 'TRUNCATE' THEN
        INSERT INTO matching_changes (worker_id) VALUES (NULL);
        RETURN NULL;
    END IF;
    rows_query := CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
                             WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
                             ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END;
    IF kind = 'household_id' THEN
        EXECUTE format('INSERT INTO matching_changes (worker_id) SELECT DISTINCT w.id FROM workers w
                        WHERE w.household_id IN (SELECT household_id FROM (%s) r)', rows_query);
    ELSIF kind = 'placement' THEN
        EXECUTE format('INSERT INTO matching_changes (worker_id) SELECT DISTINCT x FROM (SELECT r.worker_id AS x FROM (%s) r UNION ALL
                        SELECT p.worker_id FROM (%s) r JOIN placements p ON p.id = r.reverses_id) t', rows_query, rows_query);
    ELSIF kind = 'course' THEN
        -- A course's trade: its completed enrolments' workers.
        EXECUTE format('INSERT INTO matching_changes (worker_id) SELECT DISTINCT e.worker_id FROM enrolments e
                        WHERE e.course_id IN (SELECT id FROM (%s) r)', rows_query);
    ELSIF kind = 'ward' THEN
        -- A ward's coordinates: the workers living there (a vacancy's are read with each request).
        EXECUTE format('INSERT INTO matching_changes (worker_id) SELECT w.id FROM workers w
                        WHERE w.ward_code IN (SELECT ward_code FROM (%s) r)', rows_query);
    ELSE
        EXECUTE format('INSERT INTO matching_changes (worker_id) SELECT DISTINCT r.%I FROM (%s) r WHERE r.%I IS NOT NULL', kind, rows_query, kind);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER courses_matching ON courses;
CREATE TRIGGER courses_matching_upd AFTER UPDATE ON courses REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('course');
CREATE TRIGGER courses_matching_del AFTER DELETE ON courses REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('course');

DROP TRIGGER wards_2025_matching ON wards_2025;
CREATE TRIGGER wards_2025_matching_ins AFTER INSERT ON wards_2025 REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('ward');
CREATE TRIGGER wards_2025_matching_upd AFTER UPDATE ON wards_2025 REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('ward');
CREATE TRIGGER wards_2025_matching_del AFTER DELETE ON wards_2025 REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes('ward');

-- The weights are compared with the copy's own; a change needs no note.
DROP TRIGGER match_weights_matching ON match_weights;
