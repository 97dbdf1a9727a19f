-- The legacy district (before 1 July 2025) a record belongs to: from its legacy ward when that is
-- known, otherwise from its 2025 ward when every legacy ward merged into it lay in one district;
-- NULL when the 2025 ward took in wards of several districts and no legacy ward was recorded.
CREATE FUNCTION legacy_district_of(legacy_ward text, ward text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN legacy_ward IS NOT NULL
                    THEN (SELECT district_code FROM legacy_wards WHERE ward_code = legacy_ward)
                    ELSE (SELECT min(lw.district_code) FROM ward_crosswalk c JOIN legacy_wards lw ON lw.ward_code = c.legacy_ward_code
                          WHERE c.ward_code = ward HAVING count(DISTINCT lw.district_code) = 1)
               END
    $$;
