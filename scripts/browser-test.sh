#!/usr/bin/env bash
# Browser journeys (issue 6, item 7) in a real headless Chromium against the built binary.
#
#   scripts/browser-test.sh [BIN]        BIN defaults to .build/debug/tsunagu
#
# Installs what is missing (Debian's chromium + chromium-driver + CJK fonts with apt-get; selenium and
# axe-core from axe-playwright-python with pip), makes a throwaway PostgreSQL cluster (unless DATABASE_URL is set),
# migrates and seeds the demo data, serves the app on a free port and runs tests/browser/journeys.py.
# Screenshots go to test-output/browser/ (OUT=... to change), with the server's log as server.log.
# Exits with the journeys' status.
set -euo pipefail

say() { echo "browser-test: $*" >&2; }
die() { say "$*"; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.sh"

bin=$(resolve_bin "${1:-}" "swift build --product tsunagu")
cd "$(dirname "$0")/.."
out=${OUT:-test-output/browser}
mkdir -p "$out"

# --- tools -------------------------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "chromium/chromedriver missing; run: sudo apt-get install -y chromium chromium-driver fonts-noto-cjk"
  say "installing chromium, chromium-driver and fonts-noto-cjk (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || say "apt-get update failed; trying the install with the cached lists"
  apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >&2
fi
# axe-core 4.x comes from the PyPI package axe-playwright-python; only its axe.min.js is used
# (injected through Selenium), so it is installed without its Playwright dependency.
if ! python3 -c "import selenium, importlib.util as u; assert u.find_spec('axe_playwright_python')" >/dev/null 2>&1; then
  say "installing selenium and axe-core (pip: axe-playwright-python, without its dependencies)"
  python3 -m pip install -q selenium >&2
  python3 -m pip install -q --no-deps axe-playwright-python==0.1.8 >&2
fi

# --- database and server -----------------------------------------------------------------------
pgdir=""
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pgdir" ]; then
    scripts/pg.sh down "$pgdir" || true
    rm -rf "$pgdir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/tsunagu-browser-pg.XXXXXX)
  DATABASE_URL=$(scripts/pg.sh up "$pgdir" tsunagu_browser --throwaway)
fi
export DATABASE_URL

say "migrating and seeding the demo data"
seed_demo "$bin" "$out"

port=$(free_port)
base="http://127.0.0.1:$port"
"$bin" serve --hostname 127.0.0.1 --port "$port" >"$out/server.log" 2>&1 &
server_pid=$!
say "serving on $base (pid $server_pid, log $out/server.log)"
wait_for_server "$base/health" "$server_pid" "$out/server.log"

# --- journeys ----------------------------------------------------------------------------------
set +e
python3 tests/browser/journeys.py --base-url "$base" --out "$out"
status=$?
# The same running server, from outside: oversized bodies are refused with 413 while its memory
# stays bounded (issue 7). Here because this is the suite's one server of the real binary.
python3 scripts/check_body_limit.py --base-url "$base" --pid "$server_pid" || status=1
set -e
exit "$status"
