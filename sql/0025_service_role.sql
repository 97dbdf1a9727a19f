-- Least privilege (issue 17): the service logs in as jobmatch_service (or a login role that is a
-- member of it), which owns nothing, so it cannot ALTER a table (DISABLE TRIGGER), create one, or
-- change the audit trail. Migrations and the reference data load run as the schema's owner, the
-- role that runs this file. The role is cluster-wide: the embedded cluster creates it on start, a
-- DBA creates it for an external PostgreSQL (docs/operations.md); this file creates it only as a
-- last resort (NOLOGIN: a DBA then grants it to a login role).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobmatch_service') THEN
        BEGIN
            CREATE ROLE jobmatch_service NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'the role jobmatch_service does not exist and % may not create it: create it first (docs/operations.md)',
                current_user;
        END;
    END IF;
END
$$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15's default; older clusters
-- granted it to PUBLIC). Temporary tables (imports, exports) need only the database's TEMP.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO jobmatch_service;

-- The DML the service needs on every table and sequence, now and in later migrations run by the
-- same owner (ALTER DEFAULT PRIVILEGES without FOR ROLE is for the role running this file).
-- No TRUNCATE, REFERENCES or TRIGGER anywhere.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jobmatch_service;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO jobmatch_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jobmatch_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO jobmatch_service;

-- The audit trail: written and read, never changed (the trigger of 0006 stays as a second wall; a
-- SECURITY DEFINER function of the owner may still redact it). The migration ledger and the
-- reference loads are the owner's.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM jobmatch_service;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations, reference_data_loads FROM jobmatch_service;
