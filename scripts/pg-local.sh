#!/usr/bin/env bash
# A throwaway PostgreSQL server for Sluice's PostgreSQL sink tests (test/connectors-postgres*.test.ts).
#
#   scripts/pg-local.sh start               install (first run only) and start; prints the connection URL
#   scripts/pg-local.sh stop                stop the server and delete its data
#   scripts/pg-local.sh stop --keep-data    stop the server, keep its data (the next start reuses it)
#   scripts/pg-local.sh status              exit 0 when the server runs and accepts connections
#   scripts/pg-local.sh install             only install Debian's postgresql package (when missing)
#   scripts/pg-local.sh url                 print the connection URL
#
# PostgreSQL comes from Debian's `postgresql` package (apt-get; sudo when not root). Its server binaries live in
# /usr/lib/postgresql/<major>/bin, not on PATH; the newest major there is used. The server runs from its own data
# dir (initdb + pg_ctl, never Debian's 5432 cluster) with trust authentication on 127.0.0.1 only, its unix socket
# in the run dir, and fsync off (tests kill Sluice, not PostgreSQL). postgres refuses to run as root: as root the
# server runs as the `postgres` user (runuser), so the run dir must not sit under /root.
#
# Environment:
#   SLUICE_PG_PORT     TCP port on 127.0.0.1 (default 55432)
#   SLUICE_PG_HOME     parent of the run dirs (default /tmp/sluice-pg); data in $SLUICE_PG_HOME/run-<port>
#
# Tests read the URL from SLUICE_PG_URL, e.g. `export SLUICE_PG_URL=$(scripts/pg-local.sh url)`.
set -euo pipefail

PORT="${SLUICE_PG_PORT:-55432}"
BASE="${SLUICE_PG_HOME:-/tmp/sluice-pg}"
RUN_DIR="$BASE/run-$PORT"   # one server per port; short path (unix socket paths are limited to ~107 bytes)
DATA_DIR="$RUN_DIR/data"
LOG_FILE="$RUN_DIR/postgres.log"
URL="postgres://postgres@127.0.0.1:$PORT/postgres"

log() { echo "pg-local: $*" >&2; }
die() { log "$*"; exit 1; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}

install() {
  if bindir >/dev/null; then return 0; fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "installing postgresql from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir >/dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin"
}

# postgres refuses to run as root: as root run it as the postgres user, otherwise as ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_ctl status validates postmaster.pid itself (a stale pid file after a crash reads as not running).
running() {
  [ -f "$DATA_DIR/postmaster.pid" ] && as_owner "$B/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
  install
  B=$(bindir)
  if running; then
    log "already running on 127.0.0.1:$PORT"
    echo "$URL"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is in use (set SLUICE_PG_PORT)"; fi
  mkdir -p "$RUN_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$BASE" "$RUN_DIR"; fi
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    rm -rf "$DATA_DIR"
    as_owner "$B/initdb" -D "$DATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$RUN_DIR/initdb.log" 2>&1 ||
      { cat "$RUN_DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  as_owner "$B/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start \
    -o "-p $PORT -k $RUN_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null ||
    { tail -n 40 "$LOG_FILE" >&2 || true; die "postgres did not start"; }
  "$B/pg_isready" -q -h 127.0.0.1 -p "$PORT" || die "postgres started but does not accept connections on 127.0.0.1:$PORT"
  log "PostgreSQL running on 127.0.0.1:$PORT (log $LOG_FILE)"
  echo "$URL"
}

stop() {
  if ! B=$(bindir); then
    log "not installed"
    return 0
  fi
  if running; then
    as_owner "$B/pg_ctl" -D "$DATA_DIR" -m fast -w -t 30 stop >/dev/null ||
      as_owner "$B/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null || true
    log "stopped"
  else
    log "not running"
  fi
  [ "${1:-}" = "--keep-data" ] || rm -rf "$RUN_DIR"
}

status() {
  B=$(bindir) && running && "$B/pg_isready" -q -h 127.0.0.1 -p "$PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) if status; then echo running; else echo "not running"; exit 1; fi ;;
  install) install ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop [--keep-data]|status|install|url" >&2; exit 2 ;;
esac
