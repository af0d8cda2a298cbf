# Tsunagu: `make run` serves the app with demo data; `make test` runs the whole suite against
# a throwaway PostgreSQL. Both work on a fresh Debian machine with Swift installed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test build bench clean-db
.PHONY: fuzz faults

help:
	@echo "make run    start PostgreSQL (.pgdata/), migrate, seed reference + demo data, serve on http://localhost:8080"
	@echo "make test   the whole suite against a throwaway PostgreSQL cluster"
	@echo "make bench  matching-engine benchmarks"
	@echo "make fuzz   long API fuzzing (schemathesis) as every role; FUZZ_SEED=… replays a run"
	@echo "make load   load test (wrk): mixed workload at 100 requests/s, saturation, database pool sizes; LOAD_SECONDS=…"
	@echo "make faults kill the app, stop PostgreSQL, cut its connections while writing: no acknowledged write lost"

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	swift build --product tsunagu

# Engine figures on synthetic councils (best and median of 3, peak memory; score+assign is the
# figure matching.md sets targets for, explanations are a phase of their own), then the
# assignment alone against networkx: on the same councils' instances, and on a random family.
# Release build of the engine alone (`tsunagu-engine`, the Matching target without the server:
# about a minute); one core is what the engine uses.
bench:
	swift build -c release --product tsunagu-engine
	python3 -c "import networkx" 2>/dev/null || python3 -m pip install -q networkx
	# Best of three at every size: this machine's speed moves by ±15 % from minute to minute.
	python3 scripts/bench_matching.py "$$(swift build -c release --show-bin-path)/tsunagu-engine" --runs 3 --size 131x500 --size 10000x5000 --size 100000x10000
	python3 scripts/bench_assignment.py "$$(swift build -c release --show-bin-path)/tsunagu-engine" --sizes 131x500,1000x2000,10000x5000
	python3 scripts/bench_assignment.py "$$(swift build -c release --show-bin-path)/tsunagu-engine" --sizes 131x500,1000x2000 --random

# Stops the development cluster and deletes its data.
clean-db:
	scripts/pg.sh down .pgdata
	rm -rf .pgdata

# Long API fuzzing: schemathesis against /openapi.json as anonymous, member, staff and admin, with
# the coverage and stateful phases and a fresh seed (printed). make test runs a short, fixed-seed pass.
fuzz:
	swift build --product tsunagu
	scripts/fuzz.sh "$$(swift build --show-bin-path)/tsunagu"

# Fault injection: proposals are written without pause while the app is SIGKILLed and restarted,
# PostgreSQL is stopped abruptly and started again, and the app's connections are terminated; then
# the database must hold every acknowledged write, whole. A durable cluster of its own; logs in
# test-output/faults/.
faults:
	swift build --product tsunagu
	scripts/faults.sh "$$(swift build --show-bin-path)/tsunagu"

# Load test on loopback (wrk from Debian's packages, installed if missing): a mixed workload at 100
# requests/s for 60 s (PASS: p99 < 200 ms, no errors), then saturation of /board against /health and
# DATABASE_POOL_SIZE 2/8/16, on a throwaway PostgreSQL with the demo data. Release build: a debug
# build is many times slower. Outputs in test-output/load/; scripts/load.sh lists the LOAD_… settings.
.PHONY: load
load:
	swift build -c release --product tsunagu
	scripts/load.sh "$$(swift build -c release --show-bin-path)/tsunagu"
