#!/bin/sh
# Creates Temporal's two databases if missing and sets up / upgrades their schemas with temporal-sql-tool, from
# the schemas built into the tool (the same steps as deploy/cluster/temporal-server.ts). Safe on every start:
# `setup-schema -v 0.0` only where no schema_version table exists yet, `update-schema` applies only newer versions.
# Reads SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (also PGPASSWORD for psql), TEMPORAL_DB, TEMPORAL_VISIBILITY_DB.
set -eu
: "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
SQL_PORT="${SQL_PORT:-5432}"
export PGPASSWORD="$SQL_PASSWORD"

schema() { # database schema-name
  db="$1"; name="$2"
  exists=$(psql -h "$SQL_HOST" -p "$SQL_PORT" -U "$SQL_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [ "$exists" != "1" ]; then
    echo "creating database $db"
    psql -h "$SQL_HOST" -p "$SQL_PORT" -U "$SQL_USER" -d postgres -c "CREATE DATABASE \"$db\""
  fi
  has_version=$(psql -h "$SQL_HOST" -p "$SQL_PORT" -U "$SQL_USER" -d "$db" -tAc "SELECT to_regclass('schema_version') IS NOT NULL")
  tool="temporal-sql-tool --plugin postgres12 --ep $SQL_HOST -p $SQL_PORT -u $SQL_USER --db $db"
  if [ "$has_version" != "t" ]; then
    echo "$db: setting up the schema"
    $tool setup-schema -v 0.0
  fi
  echo "$db: upgrading to the newest $name"
  $tool update-schema --schema-name "$name"
}

schema "${TEMPORAL_DB:-temporal}" postgresql/v12/temporal
schema "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" postgresql/v12/visibility
echo "Temporal schemas ready"
