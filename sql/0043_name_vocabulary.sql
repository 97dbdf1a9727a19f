-- Typo-tolerant name search through a vocabulary of the names' words (issue 21 §3). When no name
-- contains the typed text, each typed word is widened to the words of the vocabulary that resemble
-- it (trigram similarity at pg_trgm's default 0.3, a few thousand short words at most) and the
-- phrase is searched with the words' GIN index (0041), which reads short posting lists. The trigram
-- index over whole names read lists of about 190,000 entries for the trigrams every Nguyễn shares:
-- a quarter of a second at the 99th percentile at 500,000 workers.
--
-- The vocabulary is the distinct words of the registered names as the words' index splits them
-- (letters and digits only), per province (a person's data in the national design, so it carries the
-- province like the other person tables). Words are added when a name is registered or changed and
-- never removed: a word alone names no one.
CREATE TABLE name_words (
    word          text NOT NULL CHECK (word ~ '^[a-z0-9]{1,60}$'),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    PRIMARY KEY (word, province_code)
);
DO $$
BEGIN
    EXECUTE format('ALTER TABLE name_words ALTER COLUMN province_code SET DEFAULT %L', registry_province());
END $$;
CREATE INDEX name_words_trgm ON name_words USING gin (word gin_trgm_ops);

-- The words of a name, as the words' index (0041) splits them; only those a query may name.
CREATE FUNCTION name_words_of(search_name text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', search_name))) w WHERE w ~ '^[a-z0-9]{1,60}$' $$;

INSERT INTO name_words (word) SELECT DISTINCT name_words_of(search_name) FROM workers;

-- New names' words, once per statement (an import adds a few new words for 100,000 names).
CREATE FUNCTION name_words_note_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_words (word) SELECT DISTINCT name_words_of(n.search_name) FROM new_rows n ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER workers_name_words_inserted AFTER INSERT ON workers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_words_note_inserted();

-- A changed name's words (rare: a correction of a name).
CREATE FUNCTION name_words_note_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_words (word) SELECT name_words_of(NEW.search_name) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER workers_name_words_renamed AFTER UPDATE OF full_name ON workers
    FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name) EXECUTE FUNCTION name_words_note_renamed();

-- The vocabulary is one of the person tables (0042): distributed by province in the national design.
INSERT INTO person_table_names (name) VALUES ('name_words');
