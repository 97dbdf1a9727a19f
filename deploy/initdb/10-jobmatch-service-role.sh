#!/bin/sh
# Run by the postgres image on the database's first start only (an empty volume): the login role the
# service runs as. It owns nothing; sql/0025_service_role.sql gives it its grants when jobmatch
# migrates as the owner (POSTGRES_USER). For a volume made before this script, run the same
# statement once by hand (docs/operations.md, "Database roles").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$JOBMATCH_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE jobmatch_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SQL
