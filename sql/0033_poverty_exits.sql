-- Households leaving poverty (issue 20, section 4): the one definition of "the household left the
-- status it had on a day", which the poverty-exits report and its tests share. docs/counting.md
-- ("Households leaving poverty") says how a clerk checks it by hand.

-- The first day after `after_day`, up to `until_day`, on which household `household` no longer has
-- `from_status` by its status history (household_status_on, so a gap between recorded periods is
-- 'none'); NULL when it kept that status through `until_day`. Leaving `poor` is any other status
-- (near_poor is a step out of poverty); leaving `near_poor` is any status but near_poor or poor
-- (near_poor -> poor is not an exit). A status changes only where a period starts or the day after
-- one ends, so only those days are tried.
CREATE FUNCTION household_exit_from(household bigint, from_status text, after_day date, until_day date) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT min(change.day)
        FROM (
            SELECT s.valid_from AS day FROM household_statuses s WHERE s.household_id = household
            UNION ALL
            SELECT s.valid_to + 1 FROM household_statuses s WHERE s.household_id = household AND s.valid_to IS NOT NULL
        ) change
        WHERE change.day > after_day AND change.day <= until_day
          AND household_status_on(household, change.day) <> from_status
          AND NOT (from_status = 'near_poor' AND household_status_on(household, change.day) = 'poor')
    $$;
