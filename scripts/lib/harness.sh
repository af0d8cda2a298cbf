# Shared by the scripts that test a running server (fuzz.sh, browser-test.sh, faults.sh, load.sh):
# source it after defining `die`. Each script keeps its own cluster, server command and clean-up.

# resolve_bin ARG HOW: the tsunagu binary ARG (default .build/debug/tsunagu) as an absolute path, so it
# still names the binary after the script changes folder; dies saying HOW to build it when it is missing.
resolve_bin() {
  local bin=${1:-.build/debug/tsunagu}
  [ -x "$bin" ] || die "no executable binary at $bin (build it first: $2)"
  echo "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

# seed_demo BIN OUT: migrate and load the reference + demo data, logs in OUT; dies with the log's tail.
seed_demo() {
  local bin=$1 out=$2
  "$bin" migrate >"$out/migrate.log" 2>&1 || { tail -n 20 "$out/migrate.log" >&2; die "migrate failed"; }
  "$bin" seed --demo >"$out/seed.log" 2>&1 || { tail -n 20 "$out/seed.log" >&2; die "seed --demo failed"; }
}

# free_port: a loopback port nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_server URL PID LOG: polls URL for up to 60 s until it answers 2xx; dies with the log's
# tail if the process PID exits first or the time runs out.
wait_for_server() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 1 120); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; then
      return 0
    fi
    # Alive and not a zombie (faults.sh disowns its server, so an exited one is not reaped at once).
    { [ -e "/proc/$pid" ] && ! grep -q ') Z' "/proc/$pid/stat" 2>/dev/null; } || { tail -n 20 "$log" >&2; die "the server exited before answering $url"; }
    sleep 0.5
  done
  tail -n 20 "$log" >&2
  die "GET $url did not answer within 60 s"
}
