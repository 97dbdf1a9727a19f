#!/bin/sh
# Promote the standby and point PgBouncer at it. Run by the operator, on the PgBouncer host, ONLY
# once the old primary is known to be down and fenced (powered off, or its PostgreSQL stopped and
# disabled): two primaries taking writes is worse than an outage. Usage:
#   failover.sh STANDBY_HOST [STANDBY_PORT]
# Needs: ssh to the standby as postgres; psql on this host as PgBouncer's admin user (its password in
# ~/.pgpass; PgBouncer listens on 127.0.0.1 too, pgbouncer.ini).
set -eu
standby=$1
port=${2:-5432}
ini=/etc/pgbouncer/pgbouncer.ini

# 1. Promote (pg_ctl promote -w waits until it accepts writes; pg_promote() does the same over SQL).
ssh "postgres@$standby" "psql -Atc 'SELECT pg_promote(wait => true, wait_seconds => 60)'"

# 2. Repoint the service's path, and reload: new server connections go to the new primary; the
#    service's 503s stop at its next connection.
sed -i "s/^jobmatch = .*/jobmatch = host=$standby port=$port dbname=jobmatch/" "$ini"
psql -h 127.0.0.1 -p 6432 -U pgbouncer_admin -d pgbouncer -c RELOAD

echo "promoted $standby and repointed PgBouncer; make a new standby (README.md, 'After a failover')"
