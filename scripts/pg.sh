#!/usr/bin/env bash
# A local PostgreSQL cluster for development and tests, in a folder of our own.
#
#   scripts/pg.sh up DATA_DIR DB_NAME [--throwaway]   start (creating if needed); prints the DATABASE_URL
#   scripts/pg.sh down DATA_DIR                        stop
#
# Finds initdb/pg_ctl on PATH or in Debian's /usr/lib/postgresql/<version>/bin, installs the
# `postgresql` package with apt-get when neither has them, and runs the server as the `postgres`
# system user when we are root (PostgreSQL refuses to run as root). The cluster listens on
# 127.0.0.1 only, on a free port, with trust authentication for its own superuser only.
set -euo pipefail

say() { echo "pg.sh: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  return 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    die "PostgreSQL is not installed and installing it needs root. Run: sudo apt-get install -y postgresql
       (or point DATABASE_URL at an existing PostgreSQL 15+ server)."
  fi
  say "PostgreSQL not found: installing Debian's postgresql package (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || say "apt-get update failed; trying the install with the cached lists"
  apt-get install -y -qq postgresql postgresql-contrib >&2 || apt-get install -y -qq postgresql >&2
}

BIN=$(find_bin || { install_postgres; find_bin; }) || die "initdb/pg_ctl still not found after installing postgresql"

# As root, every server command runs as the postgres system user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
superuser() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

free_port() {
  local port
  for port in $(seq 54329 54999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port between 54329 and 54999"
}

# The postgres user must be able to reach the data folder. A folder made by `mktemp -d`
# (mode 700) or a home directory may not let it through: grant traversal (x), never reading.
grant_traversal() {
  local dir=$1
  [ "$(id -u)" -eq 0 ] || return 0
  while [ "$dir" != "/" ]; do
    dir=$(dirname "$dir")
    if ! runuser -u postgres -- test -x "$dir"; then
      say "letting the postgres user traverse $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
  done
}

cmd_up() {
  local data=$1 db=$2 throwaway=${3:-}
  mkdir -p "$data"
  data=$(cd "$data" && pwd)
  local user; user=$(superuser)
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; chmod 700 "$data"; grant_traversal "$data"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a cluster in $data"
    as_owner "$BIN/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >/dev/null
    local port; port=$(free_port)
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = '$data'"
      echo "max_connections = 200"
      echo "logging_collector = off"
      if [ "$throwaway" = "--throwaway" ]; then
        # A throwaway test cluster trades durability for speed; a crash just means a rerun.
        echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
      fi
    } | as_owner tee -a "$data/postgresql.conf" >/dev/null
    # Only the cluster's own superuser, only from this machine.
    printf 'local all %s trust\nhost all %s 127.0.0.1/32 trust\n' "$user" "$user" | as_owner tee "$data/pg_hba.conf" >/dev/null
  fi
  local port; port=$(sed -n "s/^port = \([0-9]*\)$/\1/p" "$data/postgresql.conf" | tail -n 1)
  if ! as_owner "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port (from $data/postgresql.conf) is taken by another program"
    fi
    as_owner "$BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$data/server.log" >&2; die "PostgreSQL did not start (log above)"; }
  fi
  local psql=psql; command -v psql >/dev/null 2>&1 || psql="$BIN/psql"
  if ! "$psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    "$psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE \"$db\"" >&2
  fi
  echo "postgres://$user@127.0.0.1:$port/$db"
}

cmd_down() {
  local data=$1
  [ -f "$data/PG_VERSION" ] || return 0
  as_owner "$BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  *) die "usage: scripts/pg.sh up DATA_DIR DB_NAME [--throwaway] | down DATA_DIR" ;;
esac
