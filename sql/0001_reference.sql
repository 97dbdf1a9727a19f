-- Reference tables: administrative units before and after the 1 July 2025 reform, the
-- crosswalk between them, and the ISCO-08 / VSCO 2020 occupation hierarchy.
-- Rows are loaded by ReferenceDataLoader from sql/reference/*.csv after the migrations.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Districts before 1 July 2025 (the level the 2021-2025 reports group by).
CREATE TABLE legacy_districts (
    district_code  text PRIMARY KEY CHECK (district_code ~ '^[0-9]{3}$'),
    district_name  text NOT NULL CHECK (length(district_name) BETWEEN 1 AND 200),
    province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    province_name  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Wards before 1 July 2025 (province > district > ward). A legacy code means nothing
-- outside this table: most 2025 codes reuse a legacy code for a different ward.
CREATE TABLE legacy_wards (
    ward_code      text PRIMARY KEY CHECK (ward_code ~ '^[0-9]{5}$'),
    ward_name      text NOT NULL CHECK (length(ward_name) BETWEEN 1 AND 200),
    ward_type      text NOT NULL,
    district_code  text NOT NULL REFERENCES legacy_districts (district_code),
    district_name  text NOT NULL,
    province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    province_name  text NOT NULL,
    lat            double precision CHECK (lat BETWEEN -90 AND 90),
    lon            double precision CHECK (lon BETWEEN -180 AND 180),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legacy_wards_district ON legacy_wards (district_code);

-- Wards since 1 July 2025 (province > ward; the district level is gone).
CREATE TABLE wards_2025 (
    ward_code      text PRIMARY KEY CHECK (ward_code ~ '^[0-9]{5}$'),
    ward_name      text NOT NULL CHECK (length(ward_name) BETWEEN 1 AND 200),
    ward_type      text NOT NULL,
    province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    province_name  text NOT NULL,
    lat            double precision CHECK (lat BETWEEN -90 AND 90),
    lon            double precision CHECK (lon BETWEEN -180 AND 180),
    area_km2       double precision CHECK (area_km2 >= 0),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wards_2025_province ON wards_2025 (province_code);

-- Which 2025 ward(s) each legacy ward became; a split ward maps to several, one default.
CREATE TABLE ward_crosswalk (
    legacy_ward_code text NOT NULL REFERENCES legacy_wards (ward_code),
    ward_code        text NOT NULL REFERENCES wards_2025 (ward_code),
    is_default       boolean NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (legacy_ward_code, ward_code)
);
CREATE UNIQUE INDEX ward_crosswalk_one_default ON ward_crosswalk (legacy_ward_code) WHERE is_default;
CREATE INDEX ward_crosswalk_by_2025 ON ward_crosswalk (ward_code);

-- ISCO-08 hierarchy, which VSCO 2020 follows in its upper levels.
CREATE TABLE occupations (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{1,4}$'),
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 4 AND level = length(code)),
    parent_code text REFERENCES occupations (code)
                CHECK ((level = 1) = (parent_code IS NULL)),
    title_en    text NOT NULL,
    title_vi    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Skills that workers have and vacancies ask for (a catalogue staff grow over time).
CREATE TABLE skills (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_vi    text NOT NULL UNIQUE CHECK (length(name_vi) BETWEEN 1 AND 200 AND name_vi IS NFC NORMALIZED),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which reference files were loaded, with their checksums.
CREATE TABLE reference_data_loads (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    row_count  integer NOT NULL CHECK (row_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
