#!/usr/bin/env bash
# PostgreSQL for the team-state backend (PRICHAL_PULUMI_BACKEND=postgres://…): Debian's server,
# a cluster of the project's own in .state/postgres on 127.0.0.1:${PRICHAL_PG_PORT:-55432},
# password authentication with a generated password kept as the secret `postgres-state`
# (user:password). Idempotent; sourced by the test command. Exports PRICHAL_PG_URL (the server,
# without a database) for the tests.
set -euo pipefail
pglog() { printf '[setup-postgres] %s\n' "$*" >&2; }
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  pglog "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PRICHAL_PG_PORT:-55432}
PG_DATA="$PRICHAL_ROOT/.state/postgres"
PG_SECRET="${PRICHAL_SECRETS_DIR:-$PRICHAL_ROOT/.state/secrets}/postgres-state"
if [ ! -s "$PG_SECRET" ]; then
  mkdir -p "$(dirname "$PG_SECRET")" && chmod 700 "$(dirname "$PG_SECRET")"
  (umask 077 && printf 'prichal:%s' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > "$PG_SECRET")
fi
PG_PASSWORD=$(cut -d: -f2- "$PG_SECRET")
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  pglog "creating the cluster in $PG_DATA"
  mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
  pwfile=$(mktemp) && printf '%s' "$PG_PASSWORD" > "$pwfile" && chown postgres "$pwfile"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U prichal --pwfile="$pwfile" -A scram-sha-256 >/dev/null
  rm -f "$pwfile"
fi
if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  pglog "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$PG_DATA/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp" start >/dev/null; then
    pglog "PostgreSQL did not start (port $PG_PORT taken? set PRICHAL_PG_PORT); its log:"
    tail -n 5 "$PG_DATA/server.log" >&2
    exit 1
  fi
fi
export PRICHAL_PG_URL="postgres://prichal:$PG_PASSWORD@127.0.0.1:$PG_PORT"
