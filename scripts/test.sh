#!/usr/bin/env bash
# make test: a throwaway PostgreSQL cluster (removed afterwards), the Swift test suite,
# then the cross-checks that need the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

cleanup() {
  if [ -n "${pgdir:-}" ]; then scripts/pg.sh down "$pgdir"; rm -rf "$pgdir"; fi
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/tsunagu-test-pg.XXXXXX)
  DATABASE_URL=$(scripts/pg.sh up "$pgdir" tsunagu_test --throwaway)
fi
export DATABASE_URL
# The tests make their own databases from a template; they refuse any host but this machine.
export TSUNAGU_TEST_DATABASE_URL="$DATABASE_URL"

echo "==> building"
swift build --build-tests
export TSUNAGU_BIN="$(swift build --show-bin-path)/tsunagu"

echo "==> swift test"
# The suite prints a lot (request logs of 48 suites running at once), and CI keeps only the
# tail; so the log is kept whole and, on failure, every recorded issue is repeated at the end.
mkdir -p test-output
swift_log=test-output/swift-test.log
set +e
swift test --skip-build 2>&1 | tee "$swift_log"
swift_status=${PIPESTATUS[0]}
set -e
if [ "$swift_status" -ne 0 ]; then
  echo "==> swift test failed (exit $swift_status); what it recorded (whole log: $swift_log):"
  grep -a -A6 -E "recorded an issue|Fatal error|error: " "$swift_log" | grep -a -v " info codes.vapor" | head -150
  grep -a -E "^✘ Test .*(failed|issue)" "$swift_log" | head -40
  exit "$swift_status"
fi

if [ -f scripts/check_assignment.py ]; then
  echo "==> assignment against an independent solver (networkx)"
  python3 -c "import networkx" 2>/dev/null || python3 -m pip install -q networkx
  python3 scripts/check_assignment.py "$TSUNAGU_BIN"
  # make bench runs tsunagu-engine through these two scripts: a small size, so that a change
  # to the binary or to its output breaks make test, not the next benchmark.
  echo "==> make bench's scripts on tsunagu-engine, one small size"
  engine_bin="$(swift build --show-bin-path)/tsunagu-engine"
  python3 scripts/bench_matching.py "$engine_bin" --runs 1 --size 131x100
  python3 scripts/bench_assignment.py "$engine_bin" --sizes 131x100
fi
echo "==> API fuzzing, short pass (schemathesis as every role; make fuzz for the long one)"
scripts/fuzz.sh --quick "$TSUNAGU_BIN"
echo "==> journeys in a real browser (headless Chromium)"
scripts/browser-test.sh "$TSUNAGU_BIN"
echo "==> all tests passed"
