-- The service keeps recently checked bearer secrets in memory. Any change to a key, a staff token
-- or a staff account (revoked, rotated, deactivated, removed) tells every running service at once,
-- through NOTIFY on commit, to forget what it holds; a service that is not listening does not cache.
CREATE FUNCTION notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobmatch_credentials_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER employer_api_keys_changed AFTER UPDATE OR DELETE OR TRUNCATE ON employer_api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER staff_tokens_changed AFTER UPDATE OR DELETE OR TRUNCATE ON staff_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER staff_users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON staff_users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
