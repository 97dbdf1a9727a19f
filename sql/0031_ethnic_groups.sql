-- Ethnicity is one of Vietnam's 54 ethnic groups (issue 20), by the General Statistics Office's
-- code (Decision 1019/QĐ-TCTK of 12 November 2008; docs/counting.md), never free text. The list is
-- `EthnicGroup.all` in JobMatchCore; a test checks that this table says the same. Kinh (code 1) is
-- the majority, every other group an ethnic minority.
CREATE TABLE ethnic_groups (
    code     smallint PRIMARY KEY CHECK (code BETWEEN 1 AND 54),
    name     text NOT NULL UNIQUE CHECK (name = normalize(name, NFC)),
    minority boolean GENERATED ALWAYS AS (code <> 1) STORED
);

INSERT INTO ethnic_groups (code, name) VALUES
    (1, 'Kinh'),
    (2, 'Tày'),
    (3, 'Thái'),
    (4, 'Mường'),
    (5, 'Khơ-me'),
    (6, 'Hoa'),
    (7, 'Nùng'),
    (8, 'Mông'),
    (9, 'Dao'),
    (10, 'Gia-rai'),
    (11, 'Ê-đê'),
    (12, 'Ba-na'),
    (13, 'Sán Chay'),
    (14, 'Chăm'),
    (15, 'Cơ-ho'),
    (16, 'Xơ-đăng'),
    (17, 'Sán Dìu'),
    (18, 'Hrê'),
    (19, 'Ra-glai'),
    (20, 'Mnông'),
    (21, 'Thổ'),
    (22, 'Xtiêng'),
    (23, 'Khơ-mú'),
    (24, 'Bru-Vân Kiều'),
    (25, 'Cơ-tu'),
    (26, 'Giáy'),
    (27, 'Tà-ôi'),
    (28, 'Mạ'),
    (29, 'Giẻ-Triêng'),
    (30, 'Co'),
    (31, 'Chơ-ro'),
    (32, 'Xinh-mun'),
    (33, 'Hà Nhì'),
    (34, 'Chu-ru'),
    (35, 'Lào'),
    (36, 'La Chí'),
    (37, 'Kháng'),
    (38, 'Phù Lá'),
    (39, 'La Hủ'),
    (40, 'La Ha'),
    (41, 'Pà Thẻn'),
    (42, 'Lự'),
    (43, 'Ngái'),
    (44, 'Chứt'),
    (45, 'Lô Lô'),
    (46, 'Mảng'),
    (47, 'Cơ Lao'),
    (48, 'Bố Y'),
    (49, 'Cống'),
    (50, 'Si La'),
    (51, 'Pu Péo'),
    (52, 'Rơ-măm'),
    (53, 'Brâu'),
    (54, 'Ơ-đu');

-- Reference data: the service reads it and never changes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ethnic_groups FROM jobmatch_service;

-- What the free text recorded before could not be mapped to a group: kept here for staff to
-- settle (the worker's ethnicity is left empty meanwhile), and reported when this file runs.
CREATE TABLE ethnicity_unmapped (
    worker_id   bigint PRIMARY KEY REFERENCES workers (id) ON DELETE CASCADE,
    value       text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- The one-off mapping of the stored text, folded as `EthnicGroup.key` folds it (lower case, no
-- diacritics, letters and digits only): official names, a group's code, and common other names.
CREATE TEMPORARY TABLE ethnic_keys (key text PRIMARY KEY, code smallint NOT NULL) ON COMMIT DROP;
INSERT INTO ethnic_keys
SELECT regexp_replace(lower(immutable_unaccent(name)), '[^a-z0-9]', '', 'g'), code FROM ethnic_groups
ON CONFLICT DO NOTHING;
INSERT INTO ethnic_keys SELECT code::text, code FROM ethnic_groups ON CONFLICT DO NOTHING;
INSERT INTO ethnic_keys SELECT lpad(code::text, 2, '0'), code FROM ethnic_groups ON CONFLICT DO NOTHING;
INSERT INTO ethnic_keys VALUES ('viet', 1), ('kinhviet', 1), ('nguoikinh', 1), ('khmer', 5), ('khmerkrom', 5), ('khomekrom', 5), ('mien', 5), ('hoahan', 6), ('han', 6), ('hmong', 8), ('meo', 8), ('mongmeo', 8), ('hmongmeo', 8), ('jrai', 10), ('giolai', 10), ('gialai', 10), ('rade', 11), ('rhade', 11), ('bahnar', 12), ('sedang', 16), ('stieng', 22), ('khmu', 23), ('bru', 24), ('vankieu', 24), ('katu', 25)
ON CONFLICT DO NOTHING;

CREATE TEMPORARY TABLE ethnic_mapping ON COMMIT DROP AS
SELECT w.id, w.ethnicity AS value, g.name
FROM workers w
LEFT JOIN ethnic_keys k ON k.key = regexp_replace(lower(immutable_unaccent(btrim(w.ethnicity))), '[^a-z0-9]', '', 'g')
LEFT JOIN ethnic_groups g ON g.code = k.code
WHERE w.ethnicity IS NOT NULL;

INSERT INTO ethnicity_unmapped (worker_id, value)
SELECT id, value FROM ethnic_mapping WHERE name IS NULL AND btrim(value) <> '';

UPDATE workers w SET ethnicity = m.name
FROM ethnic_mapping m
WHERE m.id = w.id AND w.ethnicity IS DISTINCT FROM m.name;

ALTER TABLE workers
    ADD CONSTRAINT workers_ethnicity_official FOREIGN KEY (ethnicity) REFERENCES ethnic_groups (name) ON UPDATE CASCADE;

-- Once staff record one of the 54 groups for a worker, the text kept from before is not needed.
CREATE FUNCTION ethnicity_unmapped_resolved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ethnicity_unmapped WHERE worker_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER workers_ethnicity_resolved AFTER UPDATE OF ethnicity ON workers
    FOR EACH ROW WHEN (NEW.ethnicity IS NOT NULL) EXECUTE FUNCTION ethnicity_unmapped_resolved();

DO $$
DECLARE
    mapped integer;
    unmapped integer;
BEGIN
    SELECT count(*) FILTER (WHERE name IS NOT NULL), count(*) FILTER (WHERE name IS NULL AND btrim(value) <> '')
    INTO mapped, unmapped FROM ethnic_mapping;
    RAISE NOTICE 'ethnicity: % worker(s) mapped to the 54 groups, % could not be mapped (see ethnicity_unmapped)', mapped, unmapped;
END
$$;
