-- Stored export files are kept for EXPORT_RETENTION_YEARS (default 5, the plan's length), then the
-- retention service deletes them with their download records, each deletion audited. They stay
-- unchangeable, and no file younger than a year can be deleted by anyone but the owner.
CREATE OR REPLACE FUNCTION export_files_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.created_at < now() - interval '1 year' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'export files are kept as made' USING ERRCODE = 'check_violation';
END
$$;
CREATE INDEX export_files_created ON export_files (created_at);
