#!/usr/bin/env python3
"""Times the assignment alone against an independent solver on the same instances.

    python3 scripts/bench_assignment.py BIN [--sizes 131x500,1000x2000] [--random]

By default each instance is the assignment of a benchmark council (`BIN bench-instance C N`:
the synthetic council `make bench` scores, its kept pairs, remaining capacities, wanted,
priorities and coverage bonus), so networkx solves exactly what the engine's figures time.
With --random, instances come from a generator of their own instead (random scores with
popular candidates, a fixed bonus of 10^6): a second family, harder for the solver.
`BIN assign --input FILE` (the Swift min-cost flow; the whole process, JSON in and out) is
compared with networkx's network simplex on the same network; both objectives must agree.
Prints one line per size with the ratio networkx / tsunagu.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from check_assignment import reference_objective  # noqa: E402


def make_instance(rng: random.Random, n_candidates: int, n_needs: int, top_l: int = 50) -> dict:
    popularity = [rng.paretovariate(1.5) for _ in range(n_candidates)]
    candidates = [{"id": f"c{i:06d}", "capacity": rng.choice([1, 1, 1, 2, 2, 3, 5])} for i in range(n_candidates)]
    needs = [{"id": f"n{j:06d}", "wanted": rng.choice([1, 1, 1, 2, 3]), "priority": rng.randint(1, 5)} for j in range(n_needs)]
    pairs = []
    for need in needs:
        chosen = rng.sample(range(n_candidates), min(top_l * 2, n_candidates))
        scored = sorted(((min(10_000, int(2_000 * popularity[c] * rng.random())), c) for c in chosen), reverse=True)[:top_l]
        pairs += [{"candidate": candidates[c]["id"], "need": need["id"], "score": s} for s, c in scored]
    return {"coverage_bonus": 1_000_000, "candidates": candidates, "needs": needs, "pairs": pairs}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sizes", default="131x500,1000x2000")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--random", action="store_true", help="random instances instead of the benchmark councils'")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ok = True
    for size in args.sizes.split(","):
        c, n = (int(x) for x in size.split("x"))
        if args.random:
            inst = make_instance(rng, c, n)
        else:
            made = subprocess.run([args.binary, "bench-instance", str(c), str(n)], capture_output=True, text=True, check=True)
            inst = json.loads(made.stdout)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(inst, f)
            path = f.name
        try:
            start = time.perf_counter()
            out = subprocess.run([args.binary, "assign", "--input", path], capture_output=True, text=True, check=True)
            ours = time.perf_counter() - start
            result = json.loads(out.stdout)
            start = time.perf_counter()
            theirs_objective = reference_objective(inst)
            theirs = time.perf_counter() - start
        finally:
            os.unlink(path)
        same = result["objective"] == theirs_objective
        ok &= same
        family = "random" if args.random else "council"
        print(f"assignment {c} x {n} ({family}, {len(inst['pairs'])} pairs): tsunagu assign {ours * 1000:.0f} ms (whole process, "
              f"JSON in and out) vs networkx {theirs * 1000:.0f} ms -> networkx/tsunagu = {theirs / ours:.1f}x; "
              f"objectives {'equal' if same else 'DIFFER'}; covered {result['covered_needs']}/{n}, "
              f"greedy covered {result['greedy']['covered_needs']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
