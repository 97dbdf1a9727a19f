-- The old 9-digit identity card (CMND), kept only as a secondary identifier: not unique (numbers
-- were issued per province), but a shared CMND makes two records a probable duplicate.
ALTER TABLE workers ADD COLUMN cmnd text CHECK (cmnd ~ '^[0-9]{9}$');
CREATE INDEX workers_cmnd ON workers (cmnd) WHERE cmnd IS NOT NULL;
