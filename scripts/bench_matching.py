#!/usr/bin/env python3
"""Run the matching benchmark several times and report best and median per phase.

Usage: scripts/bench_matching.py BIN [--runs N] [--size CANDIDATESxNEEDS ...]

BIN is anything that accepts `bench CANDIDATES NEEDS` and prints the lines of
`MatchingBenchmark.run` (e.g. `tsunagu bench`, or a dev executable). Each size runs N
times (default 3) under /usr/bin/time -v, so the peak resident memory is reported too.
Machines shared with other builds are noisy: the best run is the figure to compare,
the median shows the spread.
"""
import argparse
import re
import statistics
import subprocess

LINE = re.compile(r"total\s+([\d.]+) ms \(prepare\s+([\d.]+), score\s+([\d.]+), assign\s+([\d.]+); "
                  r"greedy\s+([\d.]+), explain\s+([\d.]+)\)")
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run_once(binary: str, candidates: int, needs: int) -> dict:
    out = subprocess.run(["/usr/bin/time", "-v", binary, "bench", str(candidates), str(needs)],
                         capture_output=True, text=True, check=True)
    m = LINE.search(out.stdout)
    if not m:
        raise SystemExit(f"unexpected output: {out.stdout!r}")
    total, prepare, score, assign, greedy, explain = map(float, m.groups())
    return {"score+assign": score + assign, "score": score, "assign": assign, "prepare": prepare,
            "explain": explain, "total": total,
            "rss_mib": int(RSS.search(out.stderr).group(1)) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", action="append", default=[])
    args = parser.parse_args()
    sizes = [tuple(map(int, s.split("x"))) for s in args.size] or [(131, 500), (10_000, 5_000)]
    for candidates, needs in sizes:
        runs = [run_once(args.binary, candidates, needs) for _ in range(args.runs)]
        parts = []
        for key in ("score+assign", "score", "assign", "prepare", "explain", "total"):
            values = [r[key] for r in runs]
            parts.append(f"{key} best {min(values):.1f} median {statistics.median(values):.1f} ms")
        rss = max(r["rss_mib"] for r in runs)
        print(f"{candidates:>7} × {needs:>6} ({args.runs} runs): " + "; ".join(parts) + f"; peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
