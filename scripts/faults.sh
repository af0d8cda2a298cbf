#!/usr/bin/env bash
# Fault injection (issue 7, item 2): acknowledged writes survive faults.
#
#   scripts/faults.sh [BIN]     BIN defaults to .build/debug/tsunagu
#
# Makes a PostgreSQL cluster of its own in a temporary folder, migrates, seeds the demo data, serves
# the app on a free port and hands over to scripts/faults.py, which keeps writing proposals as the
# demo member while it (a) SIGKILLs and restarts the app, (b) stops PostgreSQL abruptly for a few
# seconds and starts it again, (c) terminates the app's database connections, (d) sends the app
# SIGTERM with a burst of requests in flight (each must still get a complete 2xx answer), waits for
# it to exit and starts it again; then checks in the database that every acknowledged write is
# there, whole. Server and PostgreSQL logs go to test-output/faults/ (OUT=… to change). Prints the
# figures and one PASS/FAIL line; exits non-zero on FAIL. Everything it starts is stopped and the
# cluster removed on exit.
#
# To chase one fault, apply only some of them, each several times (the ledger and database checks
# still run at the end):
#   FAULTS_ONLY=c        the faults to apply: letters from a,b,c,d, e.g. c or a,c (default: all four,
#                        in that order)
#   FAULTS_REPEAT=10     how many times each of them is applied, with ~1 s of normal writing between
#                        two repetitions (default 1)
# e.g. FAULTS_ONLY=c FAULTS_REPEAT=10 scripts/faults.sh. Such a run names each repetition ("c[3/10]"),
# prints one line per repetition of (c) (backends terminated, time to the first 201, failed writes,
# requests without an answer), lists every request that got no answer within the client's 5 s (and,
# for (c), every answer slower than 1 s) with its method, path, when it was sent relative to the
# fault, its X-Request-Id and the server log lines that name it, and sums up "c: hung requests: K of
# N repetitions". With neither variable set the run and its output are the usual ones.
set -euo pipefail

say() { echo "faults: $*" >&2; }
die() { say "$*"; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.sh"

bin=$(resolve_bin "${1:-}" "swift build --product tsunagu")
cd "$(dirname "$0")/.."
out=${OUT:-test-output/faults}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- cleanup -----------------------------------------------------------------------------------
# The driver restarts the app during faults (a) and (d), so the app's current pid lives in a file
# the driver rewrites; cleanup stops whichever process that file names, and the first server too.
pgdir=""
server_pid=""
pidfile="$out/server.pid"
# Alive and not a zombie (a killed process stays a zombie until its parent reaps it).
running() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q ') Z' "/proc/$1/stat" 2>/dev/null; }
stop_pid() {
  running "$1" || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do running "$1" || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop_pid "$(cat "$pidfile" 2>/dev/null || true)"
  stop_pid "$server_pid"
  if [ -n "$pgdir" ]; then
    # The cluster's own log says what PostgreSQL saw (the immediate stop, crash recovery, the
    # terminated backends): keep it with the server logs before the folder goes.
    cp "$pgdir/server.log" "$out/postgresql.log" 2>/dev/null || true
    scripts/pg.sh down "$pgdir" || true
    rm -rf "$pgdir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- database ----------------------------------------------------------------------------------
# A normal, durable cluster (not pg.sh's --throwaway, which turns fsync and synchronous_commit off):
# the point is that a write the app acknowledged is on disk, so the test must not trade that away.
pgdir=$(mktemp -d /tmp/tsunagu-faults-pg.XXXXXX)
db=tsunagu_faults
DATABASE_URL=$(scripts/pg.sh up "$pgdir" "$db")
export DATABASE_URL
pgdir=$(cd "$pgdir" && pwd)

# pg_ctl to stop and start the cluster in fault (b), and pg_isready to note the instant it is back:
# found the way scripts/pg.sh finds them (which has installed PostgreSQL by now if it was missing).
# A pg_ctl on PATH may be a lone symlink (Debian puts only some tools on PATH): follow it to the
# folder that has them all.
if command -v pg_ctl >/dev/null 2>&1; then
  pg_bin=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
else
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -x "$pg_bin/pg_ctl" ] || die "pg_ctl not found (looked on PATH and in /usr/lib/postgresql/*/bin)"
tool() { if [ -x "$pg_bin/$1" ]; then echo "$pg_bin/$1"; else command -v "$1" || die "$1 not found"; fi; }
psql=$(tool psql)
pg_isready=$(tool pg_isready)

say "migrating and seeding the demo data"
seed_demo "$bin" "$out"

# --- server ------------------------------------------------------------------------------------
port=$(free_port)
base="http://127.0.0.1:$port"
"$bin" serve --hostname 127.0.0.1 --port "$port" >"$out/server.log" 2>&1 &
server_pid=$!
# The driver SIGKILLs this process on purpose: out of the job table, bash does not report it as
# "Killed" after the verdict.
disown "$server_pid"
echo "$server_pid" >"$pidfile"
say "serving on $base (pid $server_pid, log $out/server.log)"
# /ready, not /health: the writer needs the database answering, not just the process.
wait_for_server "$base/ready" "$server_pid" "$out/server.log"

# --- the faults --------------------------------------------------------------------------------
# The driver gets everything it needs to restart the app exactly as above and to reach PostgreSQL
# as its superuser (trust authentication on 127.0.0.1, see scripts/pg.sh).
python3 scripts/faults.py \
  --base "$base" --bin "$bin" --port "$port" --server-pid "$server_pid" --pid-file "$pidfile" --out "$out" \
  --pgdata "$pgdir" --pg-ctl "$pg_bin/pg_ctl" --psql "$psql" --pg-isready "$pg_isready" \
  --database-url "$DATABASE_URL" --db "$db" --only "${FAULTS_ONLY:-a,b,c,d}" --repeat "${FAULTS_REPEAT:-1}"
