#!/usr/bin/env bash
# Project-local PostgreSQL 15 + PostGIS cluster: data and socket in .data/pg-<port>,
# listening on 127.0.0.1:$PGPORT only. The server refuses to run as root, so when we
# are root it runs as the `postgres` system user.
#
# Usage: scripts/db.sh start | stop | status | ensure <dbname> | psql [args] | url <dbname>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGPORT="${PGPORT:-55432}"
PGUSER_OS="${PGUSER_OS:-postgres}"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

# Put the cluster in the checkout when the server's user can reach it, otherwise in
# /var/tmp (a checkout under a 0700 home directory is not traversable by `postgres`).
data_root="$ROOT/.data"
if [ "$(id -u)" = 0 ] && ! runuser -u "$PGUSER_OS" -- test -x "$ROOT"; then
  data_root="/var/tmp/cities-of-learning-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
fi
PGDATA="${PGDATA:-$data_root/pg-$PGPORT}"
LOGFILE="$PGDATA.log"

init_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$PGDATA" && touch "$LOGFILE" && chown "$PGUSER_OS" "$LOGFILE"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # A development and test cluster: durability traded for speed (never use for real data).
  cat >> "$PGDATA/postgresql.conf" <<CONF
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGDATA'
max_connections = 200
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
}

# Streaming replication: tests and benches start a hot standby of this cluster
# (pg_basebackup -R, tests/servers.py Standby). Added to clusters made before it too;
# a setting that needs a restart is applied by `start` restarting the server.
REPL_MARK="# streaming replication (scripts/db.sh)"
ensure_replication_config() {
  grep -qF "$REPL_MARK" "$PGDATA/postgresql.conf" && return 1
  cat >> "$PGDATA/postgresql.conf" <<CONF
$REPL_MARK
wal_level = replica
max_wal_senders = 10
# WAL kept for a standby that falls behind (replay paused by a test): no archive here.
wal_keep_size = 256MB
hot_standby = on
CONF
}

is_running() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

psql_() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

case "${1:-}" in
  start)
    init_cluster
    if ensure_replication_config && is_running; then
      as_pg "$PGBIN/pg_ctl" -D "$PGDATA" reload >/dev/null
      sleep 1
      if [ "$(psql_ -d postgres -tAc "SELECT count(*) FROM pg_settings WHERE pending_restart")" != 0 ]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGFILE" -m fast -w -t 60 restart >/dev/null
        echo "db: PostgreSQL restarted for the replication settings"
      fi
    fi
    if ! is_running; then
      if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGFILE" -w -t 60 start >/dev/null; then
        echo "db: PostgreSQL did not start; the end of $LOGFILE says:" >&2
        tail -n 5 "$LOGFILE" >&2
        echo "db: is another server on port $PGPORT? (PGPORT=... make run picks another port)" >&2
        echo "db: a broken development cluster can be reset with: make stop; rm -rf $PGDATA" >&2
        exit 1
      fi
      echo "db: PostgreSQL started on 127.0.0.1:$PGPORT ($PGDATA)"
    fi
    ;;
  stop)
    if [ -f "$PGDATA/PG_VERSION" ] && is_running; then
      as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
      echo "db: stopped"
    fi
    ;;
  status)
    is_running && echo "running on 127.0.0.1:$PGPORT ($PGDATA)" || { echo "stopped"; exit 3; }
    ;;
  ensure)
    db="${2:?database name}"
    if [ -z "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql_ -d postgres -qc "CREATE DATABASE \"$db\"" && echo "db: created database $db"
    fi
    ;;
  drop)
    db="${2:?database name}"
    psql_ -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    ;;
  psql)
    shift; psql_ "$@"
    ;;
  url)
    echo "postgis://postgres@127.0.0.1:$PGPORT/${2:?database name}"
    ;;
  *)
    echo "usage: $0 start|stop|status|ensure <db>|drop <db>|psql [args]|url <db>" >&2; exit 2
    ;;
esac
