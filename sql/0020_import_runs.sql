-- Worker files imported through the web app: the report to show again, and the error file (the
-- failed rows with a "Lỗi" column) to download, fix and import again. The error file holds the
-- failed rows' personal data: the web app empties it 30 days after the import.
CREATE TABLE import_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name   text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    partial     boolean NOT NULL,
    total_rows  integer NOT NULL CHECK (total_rows >= 0),
    imported    integer NOT NULL CHECK (imported >= 0),
    unchanged   integer NOT NULL CHECK (unchanged >= 0),
    rolled_back boolean NOT NULL,
    errors      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array'),
    error_file  bytea,
    created_by  bigint NOT NULL REFERENCES staff_users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (imported + unchanged <= total_rows)
);
CREATE INDEX import_runs_created ON import_runs (created_at);
