-- Stored exports: each scheduled monthly file kept with its checksum (never made twice), and who
-- downloaded which file when. Files are never changed once stored.

CREATE TABLE export_files (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('placements_month')),
    month       text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    format      text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    as_of       date NOT NULL,
    scheduled   boolean NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    content     bytea NOT NULL,
    created_by  bigint REFERENCES staff_users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (octet_length(content) = size_bytes)
);
-- The schedule makes each month's file in each format once, however many instances run.
CREATE UNIQUE INDEX export_files_scheduled_once ON export_files (kind, month, format) WHERE scheduled;

CREATE FUNCTION export_files_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'export files are kept as made' USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER export_files_unchanged BEFORE UPDATE OR DELETE ON export_files
    FOR EACH ROW EXECUTE FUNCTION export_files_unchanged();

CREATE TABLE export_downloads (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id       bigint NOT NULL REFERENCES export_files (id),
    staff_id      bigint REFERENCES staff_users (id),
    downloaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX export_downloads_file ON export_downloads (file_id);
