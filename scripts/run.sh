#!/usr/bin/env bash
# make run: a local PostgreSQL in .pgdata/ (unless DATABASE_URL is set), build, migrate,
# seed reference + demo data, print the demo logins, serve on http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$(scripts/pg.sh up "$PWD/.pgdata" tsunagu)
fi
export DATABASE_URL

echo "==> building (the first build takes a few minutes)"
swift build --product tsunagu
bin="$(swift build --show-bin-path)/tsunagu"

echo "==> migrating"
"$bin" migrate
echo "==> loading reference and demo data"
"$bin" seed --demo

port=${PORT:-8080}
cat <<MSG

  Tsunagu つなぐ is starting on http://localhost:$port
  Demo logins (password for all: tsunagu-demo-2026):
    admin   admin@demo.tsunagu.example
    staff   staff@demo.tsunagu.example
    member  member@demo.tsunagu.example   (a demo sports club)
    member  member2@demo.tsunagu.example  (a demo supermarket)
  Database: $DATABASE_URL
  Stop with Ctrl-C; the data stays in .pgdata/ for the next run (make clean-db removes it).

MSG
exec "$bin" serve --hostname "${HOST:-127.0.0.1}" --port "$port"
