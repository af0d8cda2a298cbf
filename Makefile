# Tsunagu: `make run` serves the app with demo data; `make test` runs the whole suite against
# a throwaway PostgreSQL. Both work on a fresh Debian machine with Swift installed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test build bench clean-db

help:
	@echo "make run    start PostgreSQL (.pgdata/), migrate, seed reference + demo data, serve on http://localhost:8080"
	@echo "make test   the whole suite against a throwaway PostgreSQL cluster"
	@echo "make bench  matching-engine benchmarks"

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	swift build --product tsunagu

bench:
	swift build -c release --product tsunagu
	"$$(swift build -c release --show-bin-path)/tsunagu" bench

# Stops the development cluster and deletes its data.
clean-db:
	scripts/pg.sh down .pgdata
	rm -rf .pgdata
