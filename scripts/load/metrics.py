#!/usr/bin/env python3
"""The server's own view of a load run, from its Prometheus /metrics (Vapor's per-route histograms).

    scripts/load/metrics.py snapshot BASE_URL FILE     saves /metrics
    scripts/load/metrics.py drain BASE_URL [SECONDS]   waits until the server has answered everything
                                                       queued (no request counted for 1 s, no pooled
                                                       connection in use), at most SECONDS (60)
    scripts/load/metrics.py report BEFORE AFTER        per route between two snapshots: requests by
                                                       status, server time (mean, and the histogram bucket
                                                       p50/p99 fall in), matching rounds

wrk's response() cannot tell which request an answer belongs to; the server's counters can, so an
error is reported with its route and status here. Server time starts when Vapor's middleware sees the
request: it leaves out time queued before that, which wrk's latency includes.
"""
import re
import sys
import time
import urllib.request

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def fetch(base):
    with urllib.request.urlopen(base.rstrip("/") + "/metrics", timeout=30) as response:
        return response.read().decode()


def parse(text):
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            continue
        name, labels, value = match.groups()
        key = (name, tuple(sorted(LABEL.findall(labels or ""))))
        samples[key] = float(value)
    return samples


def answered(samples):
    return sum(v for (name, labels), v in samples.items()
               if name == "http_requests_total" and dict(labels).get("path") != "/metrics")


def drain(base, limit):
    """Done when nothing was answered for a second and no pooled connection is in use; or when
    nothing changed at all for 5 s while the gauge still counts connections in use (a lease that
    never ends: reported, not waited for)."""
    deadline = time.monotonic() + limit
    last, still = None, 0
    while time.monotonic() < deadline:
        samples = parse(fetch(base))
        now = (answered(samples), samples.get(("tsunagu_db_connections_in_use", ()), 0))
        if now == last:
            still += 1
            if now[1] == 0:
                return True
            if still >= 5:
                print(f"metrics: {now[1]:g} pooled connection(s) still counted in use with nothing answered "
                      f"for 5 s: a stuck or leaked lease (tsunagu_db_connections_in_use)", file=sys.stderr)
                return True
        else:
            still = 0
        last = now
        time.sleep(1)
    print(f"metrics: the server was still busy after {limit:g} s", file=sys.stderr)
    return False


def quantile(q, buckets, count):
    """The upper bound of the histogram bucket holding the q-quantile (the buckets are coarse:
    5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10 s), so 'p99 <= 250 ms' is all it can say."""
    if count <= 0:
        return float("nan")
    for bound, cumulative in buckets:
        if cumulative >= q * count:
            return bound
    return float("inf")


def bucket_label(seconds):
    return "> 10 s" if seconds == float("inf") else f"<= {seconds * 1000:g} ms"


def report(before_file, after_file):
    before = parse(open(before_file).read())
    after = parse(open(after_file).read())

    def delta(key):
        return after.get(key, 0) - before.get(key, 0)

    routes = {}
    for (name, labels), _ in after.items():
        d = dict(labels)
        if name != "http_request_duration_seconds_count" or d.get("path") == "/metrics":
            continue
        count = delta((name, labels))
        if count <= 0:
            continue
        route = f'{d.get("method")} {d.get("path")}'
        entry = routes.setdefault(route, {"count": 0, "sum": 0.0, "statuses": {}, "buckets": {}})
        entry["count"] += count
        entry["statuses"][d.get("status")] = entry["statuses"].get(d.get("status"), 0) + count
        entry["sum"] += delta(("http_request_duration_seconds_sum", labels))
        for (bname, blabels), _ in after.items():
            bd = dict(blabels)
            if bname == "http_request_duration_seconds_bucket" and {k: v for k, v in bd.items() if k != "le"} == d:
                bound = float("inf") if bd["le"] == "+Inf" else float(bd["le"])
                entry["buckets"][bound] = entry["buckets"].get(bound, 0) + delta((bname, blabels))

    print("server time per route (from /metrics; p50/p99 as the bound of their histogram bucket):")
    errors = []
    for route, e in sorted(routes.items(), key=lambda item: -item[1]["count"]):
        buckets = sorted(e["buckets"].items())
        statuses = ", ".join(f"{s}: {int(n)}" for s, n in sorted(e["statuses"].items()))
        print(f"  {route:<36} {int(e['count']):>6}  mean {1000 * e['sum'] / e['count']:7.1f} ms"
              f"  p50 {bucket_label(quantile(0.5, buckets, e['count'])):>11}  p99 {bucket_label(quantile(0.99, buckets, e['count'])):>11}"
              f"  [{statuses}]")
        errors += [f"{route} -> {s}: {int(n)}" for s, n in e["statuses"].items() if not 200 <= int(s) < 400]
    rounds = delta(("tsunagu_matching_round_duration_seconds_count", ()))
    if rounds:
        total = delta(("tsunagu_matching_round_duration_seconds_sum", ()))
        print(f"  matching rounds: {int(rounds)}, engine + storage {1000 * total / rounds:.0f} ms on average")
    print("server-side errors (status not 2xx/3xx): " + ("; ".join(errors) if errors else "none"))


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "snapshot":
        open(sys.argv[3], "w").write(fetch(sys.argv[2]))
    elif len(sys.argv) >= 3 and sys.argv[1] == "drain":
        sys.exit(0 if drain(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 60) else 1)
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
