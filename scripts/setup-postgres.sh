#!/usr/bin/env bash
# PostgreSQL for the team-state backend (PRICHAL_PULUMI_BACKEND=postgres://…): Debian's server,
# a cluster of this checkout's own on 127.0.0.1:${PRICHAL_PG_PORT:-55432}, its data under the
# postgres user's home (a checkout may sit in a folder the postgres user cannot enter, such as a
# mktemp -d), one folder per checkout path;
# password authentication with a generated password, handed to the checkout as the secret
# `postgres-state` (user:password). Idempotent; sourced by the test command. Exports PRICHAL_PG_URL (the server,
# without a database) for the tests.
set -euo pipefail
pglog() { printf '[setup-postgres] %s\n' "$*" >&2; }
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  pglog "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PRICHAL_PG_PORT:-55432}
PG_DATA=${PRICHAL_PG_DATA:-/var/lib/postgresql/prichal-$(printf '%s' "$PRICHAL_ROOT" | sha256sum | cut -c1-12)}
PG_SECRET="${PRICHAL_SECRETS_DIR:-$PRICHAL_ROOT/.state/secrets}/postgres-state"
# The cluster's password lives beside the cluster (root only): a fresh clone at the same path
# reuses the cluster, so its secret must come from there, not be invented anew.
PG_PASSFILE="$PG_DATA.password"
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  pglog "creating the cluster in $PG_DATA"
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$PG_PASSFILE")
  install -d -o postgres -g postgres -m 700 "$PG_DATA"
  pwfile="$PG_DATA.initpw" && install -o postgres -m 600 "$PG_PASSFILE" "$pwfile"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U prichal --pwfile="$pwfile" -A scram-sha-256 >/dev/null
  rm -f "$pwfile"
fi
PG_PASSWORD=$(cat "$PG_PASSFILE")
mkdir -p "$(dirname "$PG_SECRET")" && chmod 700 "$(dirname "$PG_SECRET")"
(umask 077 && printf 'prichal:%s' "$PG_PASSWORD" > "$PG_SECRET")
# A server killed with an earlier run leaves postmaster.pid (and its socket lock) behind: pg_ctl
# would call a zombie or reused number "running", the server would refuse to start.
. "$PRICHAL_ROOT/scripts/pidfile.sh"
drop_stale_pidfile "$PG_DATA/postmaster.pid" postgres pglog
if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  # Running already: on the port it was started on (line 4 of postmaster.pid).
  PG_PORT=$(sed -n 4p "$PG_DATA/postmaster.pid")
else
  # Another checkout's cluster (or anything else) may hold the port: take the next free one
  # unless PRICHAL_PG_PORT asks for exactly this one. The tests read the URL exported below.
  if [ -z "${PRICHAL_PG_PORT:-}" ]; then
    while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
  fi
  drop_stale_pidfile "/tmp/.s.PGSQL.$PG_PORT.lock" postgres pglog
  pglog "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  if ! without_inherited_fds runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$PG_DATA/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp" start >/dev/null; then
    pglog "PostgreSQL did not start (port $PG_PORT taken? set PRICHAL_PG_PORT); its log:"
    tail -n 5 "$PG_DATA/server.log" >&2
    exit 1
  fi
fi
export PRICHAL_PG_URL="postgres://prichal:$PG_PASSWORD@127.0.0.1:$PG_PORT"
