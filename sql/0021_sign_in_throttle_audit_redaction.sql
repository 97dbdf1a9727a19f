-- Sign-in attempts refused by the throttle are kept (who tried, from where) but marked, so they do
-- not count as failures: hammering a locked account does not lengthen its lock-out.
ALTER TABLE sign_in_attempts ADD COLUMN throttled boolean NOT NULL DEFAULT false;
ALTER TABLE sign_in_attempts ADD CONSTRAINT sign_in_attempts_throttled_failed CHECK (NOT (throttled AND succeeded));
