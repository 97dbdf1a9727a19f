-- Worker search as staff use it: names without diacritics and with typos, CCCD or phone by
-- their last digits, lists in Vietnamese order (given name first, as Vietnamese lists sort).

-- unaccent() is only STABLE; a fixed dictionary makes it safe for indexes and generated columns.
CREATE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

ALTER TABLE workers
    ADD COLUMN search_name text GENERATED ALWAYS AS (lower(immutable_unaccent(full_name))) STORED,
    ADD COLUMN given_name text GENERATED ALWAYS AS (regexp_replace(full_name, '^.* ', '')) STORED;

CREATE INDEX workers_search_name_trgm ON workers USING gin (search_name gin_trgm_ops);
CREATE INDEX workers_vietnamese_order ON workers (given_name COLLATE "vi-VN-x-icu", full_name COLLATE "vi-VN-x-icu", id);
CREATE INDEX workers_cccd_suffix ON workers (reverse(cccd) text_pattern_ops);
CREATE INDEX workers_phone_suffix ON workers (reverse(phone) text_pattern_ops);

-- Probable duplicates: same unaccented name and birth date, or same phone.
CREATE INDEX workers_name_birth ON workers (search_name, birth_date);
CREATE INDEX workers_phone ON workers (phone) WHERE phone IS NOT NULL;
