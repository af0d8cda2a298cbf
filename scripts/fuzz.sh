#!/usr/bin/env bash
# API fuzzing (issue 7, item 3): schemathesis against /openapi.json, signed in as each role.
#
#   scripts/fuzz.sh [--quick] [BIN]     BIN defaults to .build/debug/tsunagu
#
#   --quick   the short run inside `make test`: few examples, a fixed seed (repeatable), no coverage or
#             stateful phase
#   (none)    the long run of `make fuzz`: many examples, a fresh seed (printed; FUZZ_SEED=… to replay),
#             and the stateful phase, which chains operations along the links schemathesis infers
#
# Installs schemathesis (pip) when missing, makes a throwaway PostgreSQL cluster (unless
# FUZZ_DATABASE_URL is set), migrates, seeds the demo data, serves the app on a free port, gets an API token for each
# demo role and runs schemathesis once per role: anonymous, member, staff, admin. Checks: no 5xx,
# status codes, content types, headers and bodies as openapi.json documents them, and our own
# no_internal_details (tests/fuzz/checks.py): no stack trace, SQL, database error or path in a body.
# Reports and the server's log go to test-output/fuzz/ (OUT=… to change). Prints the cases run per
# role and one PASS/FAIL line; exits non-zero on any failure.
set -euo pipefail

say() { echo "fuzz: $*" >&2; }
die() { say "$*"; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.sh"

mode=long
if [ "${1:-}" = "--quick" ]; then mode=quick; shift; fi
bin=$(resolve_bin "${1:-}" "swift build --product tsunagu")
cd "$(dirname "$0")/.."
repo=$PWD
out=${OUT:-test-output/fuzz}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "$mode" = quick ]; then
  # make test must stay fast and repeatable: a fixed seed, so a failure here is a regression, not luck.
  # The coverage phase (every documented boundary and its negation: bad UUIDs, huge numbers, NUL,
  # wrong types, missing fields) takes over a minute a role on one worker, so it runs only in
  # `make fuzz` (FUZZ_COVERAGE_ROLES=admin adds it here); what it found has Swift regression tests.
  examples=${FUZZ_EXAMPLES:-6}
  seed=${FUZZ_SEED:-20261123}
  phases=${FUZZ_PHASES:-examples,fuzzing}
  coverage_roles=${FUZZ_COVERAGE_ROLES:-}
else
  examples=${FUZZ_EXAMPLES:-60}
  seed=${FUZZ_SEED:-$RANDOM$RANDOM}
  phases=${FUZZ_PHASES:-examples,fuzzing,stateful}
  coverage_roles=${FUZZ_COVERAGE_ROLES:-anonymous member staff admin}
fi

# --- tools -------------------------------------------------------------------------------------
if ! python3 -c "import schemathesis, sys; sys.exit(0 if schemathesis.__version__.startswith('4.') else 1)" >/dev/null 2>&1; then
  say "installing schemathesis 4 (pip)"
  python3 -m pip install -q "schemathesis>=4.3,<5" >&2
fi
# The custom check must catch what it is meant to catch before we trust a run that it passed.
python3 tests/fuzz/test_checks.py >&2 || die "tests/fuzz/test_checks.py failed: the leak check is broken"

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

# Always a cluster of our own (not make test's DATABASE_URL): the fuzzer rewrites the demo data, and
# the browser journeys that run next expect it untouched. FUZZ_DATABASE_URL=… uses an existing database.
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then
  DATABASE_URL=$FUZZ_DATABASE_URL
else
  pgdir=$(mktemp -d /tmp/tsunagu-fuzz-pg.XXXXXX)
  DATABASE_URL=$(scripts/pg.sh up "$pgdir" tsunagu_fuzz --throwaway)
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

# --- a token per role --------------------------------------------------------------------------
token_for() {
  python3 - "$base" "$1" <<'PY'
import json, sys, urllib.request
base, email = sys.argv[1], sys.argv[2]
body = json.dumps({"email": email, "password": "tsunagu-demo-2026", "name": "fuzz"}).encode()
request = urllib.request.Request(base + "/api/v1/auth/token", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as response:
    print(json.load(response)["token"])
PY
}
declare -A tokens=([anonymous]="")
for role in member staff admin; do
  tokens[$role]=$(token_for "$role@demo.tsunagu.example") || die "could not get an API token for $role"
done

# --- schemathesis, once per role ---------------------------------------------------------------
# Operations that could lock the fuzzer out run last, in a pass of their own, after every role's
# main pass: revoking API tokens (the admin may revoke anyone's, the fuzzer's own included) and
# deactivating users (the admin could deactivate itself or another role's demo account).
lockout=(--include-name "DELETE /api/v1/auth/tokens/{id}" --include-name "POST /api/v1/users/{id}/deactivate")
main=(--exclude-name "DELETE /api/v1/auth/tokens/{id}" --exclude-name "POST /api/v1/users/{id}/deactivate")

export SCHEMATHESIS_HOOKS="$repo/tests/fuzz/checks.py"
# One worker by default: with two, Hypothesis 6.155 now and then fails inside itself ("AST constructor
# recursion depth mismatch" while describing a filter lambda), a runtime error that is not the API's.
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,no_internal_details
say "mode $mode: up to $examples examples per operation, seed $seed, phases $phases (+ coverage for: $coverage_roles)"

failed=()
declare -A cases=()
run_pass() {
  local role=$1 pass=$2; shift 2
  local dir="$out/$role-$pass" auth=()
  [ -n "${tokens[$role]}" ] && auth=(-H "Authorization: Bearer ${tokens[$role]}")
  mkdir -p "$dir"
  say "$role ($pass pass: $1)"
  set +e
  schemathesis --no-color run "$base/openapi.json" --url "$base" "${auth[@]}" \
    --checks "$checks" --phases "$1" --max-examples "$examples" --seed "$seed" \
    --workers "${FUZZ_WORKERS:-1}" --request-timeout 30 --generation-database none --suppress-health-check all \
    --report ndjson,junit --report-dir "$dir" "${@:2}" >"$dir/schemathesis.txt" 2>&1
  local status=$?
  set -e
  local count
  # The summary's "Test cases: N generated, …" line; 0 when schemathesis stopped before it.
  count=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$dir/schemathesis.txt" | tail -n 1)
  count=${count:-0}
  cases[$role]=$(( ${cases[$role]:-0} + count ))
  if [ "$status" -ne 0 ]; then
    failed+=("$role/$pass")
    say "$role ($pass pass) FAILED (exit $status); the details:"
    { sed -n '/FAILURES\|ERRORS/,$p' "$dir/schemathesis.txt" | head -n 200 >&2; } || true
  fi
}
roles=(anonymous member staff admin)
with_coverage() { if [[ " $coverage_roles " == *" $1 "* ]]; then echo "${phases/examples,/examples,coverage,}"; else echo "$phases"; fi; }
for role in "${roles[@]}"; do run_pass "$role" main "$(with_coverage "$role")" "${main[@]}"; done
for role in "${roles[@]}"; do run_pass "$role" lockout "$(with_coverage "$role" | sed 's/,stateful//')" "${lockout[@]}"; done

# --- verdict -----------------------------------------------------------------------------------
# A crash (a trap in Swift) ends the process; schemathesis then sees only connection errors.
crashed=0
if ! kill -0 "$server_pid" 2>/dev/null || grep -q "Fatal error\|Program crashed" "$out/server.log"; then
  crashed=1
  grep -m 3 "Fatal error\|Program crashed\|at $repo/Sources" "$out/server.log" >&2 || true
  say "THE SERVER CRASHED (see $out/server.log)"
fi
# A 5xx the checks did not see (e.g. while shrinking) still shows in the log, and so does input
# that only the error middleware's database safety net turned into a 4xx (a missing validation).
server_errors=$(grep -c "Unhandled error" "$out/server.log" || true)
unvalidated=$(grep -c "Unvalidated input reached the database" "$out/server.log" || true)
total=0
for role in "${roles[@]}"; do
  echo "fuzz: $role: ${cases[$role]} cases"
  total=$(( total + cases[$role] ))
done
echo "fuzz: $total cases in all (mode $mode, seed $seed); in the server log: $server_errors unhandled errors," \
  "$unvalidated unvalidated inputs caught by the database"
if [ "${#failed[@]}" -eq 0 ] && [ "$server_errors" -eq 0 ] && [ "$unvalidated" -eq 0 ] && [ "$crashed" -eq 0 ]; then
  echo "fuzz: PASS"
else
  grep -h "Unhandled error\|Unvalidated input" "$out/server.log" | sed 's/ \[request-id.*//' | sort | uniq -c | sort -rn | head -n 20 >&2 || true
  echo "fuzz: FAIL (failed passes: ${failed[*]:-none}; $server_errors unhandled errors, $unvalidated unvalidated inputs; crashed: $crashed; reports in $out)"
  exit 1
fi
