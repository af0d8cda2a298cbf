#!/usr/bin/env python3
"""Oversized request bodies get 413 and the server's memory stays bounded (issue 7, item 4).

    python3 scripts/check_body_limit.py --base-url http://127.0.0.1:8080 --pid SERVER_PID

Sends many bodies far over the 1 MB limit (declared with Content-Length and really streamed, in
parallel), to two write routes of the JSON API, without signing in (the size is refused before anything else), and checks that every one is refused with
413 and that the server's resident memory grows by far less than what was sent: a server that
buffered the bodies would grow by about the total. Prints the figures and a PASS/FAIL line.
"""
from __future__ import annotations

import argparse
import http.client
import socket
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

CHUNK = b"x" * 65536


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def oversized(base: urllib.parse.SplitResult, path: str, content_type: str, size: int) -> int | str:
    """POST `size` bytes; returns the status, or what went wrong. The server may answer and close
    before the body is all sent — that is the point — so a broken pipe is followed by a read."""
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        sent = 0
        try:
            while sent < size:
                conn.send(CHUNK[: min(len(CHUNK), size - sent)])
                sent += min(len(CHUNK), size - sent)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        try:
            return conn.getresponse().status
        except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError) as e:
            return f"no response ({type(e).__name__})"
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--requests", type=int, default=48)
    parser.add_argument("--size-mib", type=int, default=16)
    parser.add_argument("--parallel", type=int, default=8)
    args = parser.parse_args()
    base = urllib.parse.urlsplit(args.base_url)
    size = args.size_mib * 1024 * 1024
    targets = [("/api/v1/proposals", "application/json"), ("/api/v1/matching-rounds", "application/json")]

    before = rss_kib(args.pid)
    peak = before
    started = time.monotonic()
    with ThreadPoolExecutor(args.parallel) as pool:
        futures = [pool.submit(oversized, base, *targets[i % len(targets)], size) for i in range(args.requests)]
        while not all(f.done() for f in futures):
            peak = max(peak, rss_kib(args.pid))
            time.sleep(0.05)
        results = [f.result() for f in futures]
    elapsed = time.monotonic() - started
    peak = max(peak, rss_kib(args.pid))

    sent_mib = args.requests * args.size_mib
    growth_mib = (peak - before) / 1024
    bad = [r for r in results if r != 413]
    # A buffering server would grow by up to parallel × size (128 MiB with the defaults) or by
    # everything sent; a bounded one by its per-connection buffers only.
    limit_mib = max(32, args.parallel * args.size_mib / 4)
    print(f"body limit: {args.requests} bodies of {args.size_mib} MiB ({sent_mib} MiB declared), {args.parallel} at a time, "
          f"in {elapsed:.1f} s: {results.count(413)} × 413, other: {bad[:5]}")
    print(f"body limit: server RSS {before / 1024:.0f} MiB before, peak {peak / 1024:.0f} MiB "
          f"(growth {growth_mib:.1f} MiB; allowed {limit_mib:.0f} MiB)")
    ok = not bad and growth_mib <= limit_mib
    print(f"body limit: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
