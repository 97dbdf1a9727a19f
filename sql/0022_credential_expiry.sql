-- Employer API keys and staff API tokens may carry an expiry (refused from then on, like a revoked
-- one), and record when they were last used (written at most once a minute per credential).
ALTER TABLE employer_api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE employer_api_keys ADD CONSTRAINT employer_api_keys_expiry CHECK (expires_at > created_at);
ALTER TABLE staff_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE staff_tokens ADD CONSTRAINT staff_tokens_expiry CHECK (expires_at > created_at);

-- Writing last_used_at changes nothing about who may call: it must not tell every service to empty
-- its cache of callers (0012), or each minute of use would. Updates notify only when another column
-- changes; deletes and truncation notify as before.
DROP TRIGGER employer_api_keys_changed ON employer_api_keys;
CREATE TRIGGER employer_api_keys_changed AFTER DELETE OR TRUNCATE ON employer_api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER employer_api_keys_updated AFTER UPDATE ON employer_api_keys
    FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
    EXECUTE FUNCTION notify_credentials_changed();

DROP TRIGGER staff_tokens_changed ON staff_tokens;
CREATE TRIGGER staff_tokens_changed AFTER DELETE OR TRUNCATE ON staff_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER staff_tokens_updated AFTER UPDATE ON staff_tokens
    FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
    EXECUTE FUNCTION notify_credentials_changed();
