#!/usr/bin/env python3
"""Check `BIN assign --input FILE` against an independent min-cost-flow solver.

Usage: scripts/check_assignment.py BIN [--instances N] [--seed S]

Generates N (default 250) random instances (seeded, so a failure can be replayed) with
random capacities, wanted counts, priorities and scores, some dense and some sparse, some
with a small coverage bonus so that coverage and score really trade off. Each instance is
written to a temporary JSON file and solved by BIN; the objective is compared with the one
networkx's network simplex finds on the network of design/matching.md. The reported
assignment is also checked for feasibility and for matching its own objective.
Prints one summary line; exits 1 on any mismatch.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import networkx as nx


def make_instance(rng: random.Random) -> dict:
    n_candidates = rng.randint(1, 12)
    n_needs = rng.randint(1, 12)
    candidates = [{"id": f"c{i:02d}", "capacity": rng.choice([0, 1, 1, 2, 2, 3, 4])} for i in range(n_candidates)]
    needs = [{"id": f"n{j:02d}", "wanted": rng.choice([1, 1, 1, 2, 3]), "priority": rng.randint(0, 5)}
             for j in range(n_needs)]
    density = rng.choice([0.2, 0.5, 0.8, 1.0])
    pairs = []
    for c in candidates:
        for n in needs:
            if rng.random() < density:
                # Many ties on purpose: small score ranges exercise the tie-breaks.
                score = rng.choice([rng.randint(0, 10_000), rng.randint(0, 5), rng.randint(-50, 50)])
                pairs.append({"candidate": c["id"], "need": n["id"], "score": score})
    rng.shuffle(pairs)
    bonus = rng.choice([1_000_000, 1_000_000, 5_000, 100, 0])
    return {"coverage_bonus": bonus, "candidates": candidates, "needs": needs, "pairs": pairs}


def reference_objective(inst: dict) -> int:
    """Min-cost flow on the network of matching.md, solved by networkx (network simplex)."""
    g = nx.DiGraph()
    total = sum(c["capacity"] for c in inst["candidates"])
    g.add_node("s", demand=-total)
    g.add_node("t", demand=total)
    # The bypass lets every unit of supply reach the sink for free: "not assigning".
    g.add_edge("s", "t", capacity=total, weight=0)
    for c in inst["candidates"]:
        g.add_edge("s", ("c", c["id"]), capacity=c["capacity"], weight=0)
    for n in inst["needs"]:
        # Two parallel arcs need → sink; DiGraph has no parallel edges, so split via a helper node.
        g.add_edge(("n", n["id"]), ("bonus", n["id"]), capacity=1, weight=-inst["coverage_bonus"] * n["priority"])
        g.add_edge(("bonus", n["id"]), "t", capacity=1, weight=0)
        if n["wanted"] > 1:
            g.add_edge(("n", n["id"]), "t", capacity=n["wanted"] - 1, weight=0)
    for p in inst["pairs"]:
        g.add_edge(("c", p["candidate"]), ("n", p["need"]), capacity=1, weight=-p["score"])
    flow = nx.min_cost_flow(g)
    return -nx.cost_of_flow(g, flow)


def check_feasible(inst: dict, out: dict) -> str | None:
    cap = {c["id"]: c["capacity"] for c in inst["candidates"]}
    wanted = {n["id"]: n["wanted"] for n in inst["needs"]}
    prio = {n["id"]: n["priority"] for n in inst["needs"]}
    score = {(p["candidate"], p["need"]): p["score"] for p in inst["pairs"]}
    seen = set()
    for a in out["assignment"]:
        key = (a["candidate"], a["need"])
        if key not in score:
            return f"assigned pair {key} is not an input pair"
        if key in seen:
            return f"pair {key} assigned twice"
        seen.add(key)
        cap[a["candidate"]] -= 1
        wanted[a["need"]] -= 1
    if any(v < 0 for v in cap.values()):
        return "capacity exceeded"
    if any(v < 0 for v in wanted.values()):
        return "wanted exceeded"
    covered = {n for _, n in seen}
    objective = sum(inst["coverage_bonus"] * prio[n] for n in covered) + sum(score[k] for k in seen)
    if objective != out["objective"]:
        return f"reported objective {out['objective']} but the assignment is worth {objective}"
    if len(covered) != out["covered_needs"]:
        return f"reported covered_needs {out['covered_needs']} but {len(covered)} are covered"
    if out["greedy"]["objective"] > out["objective"]:
        return "greedy beats the optimum"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bin")
    parser.add_argument("--instances", type=int, default=250)
    parser.add_argument("--seed", type=int, default=20260213)
    args = parser.parse_args()
    if args.instances < 1:
        parser.error("--instances must be ≥ 1")

    rng = random.Random(args.seed)
    failures = []
    gaps = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.instances):
            inst = make_instance(rng)
            path = os.path.join(tmp, f"instance-{k}.json")
            with open(path, "w") as f:
                json.dump(inst, f)
            run = subprocess.run([args.bin, "assign", "--input", path], capture_output=True, text=True)
            if run.returncode != 0:
                failures.append(f"#{k}: exit {run.returncode}: {run.stderr.strip()}")
                continue
            out = json.loads(run.stdout)
            expected = reference_objective(inst)
            if out["objective"] != expected:
                failures.append(f"#{k}: objective {out['objective']} != networkx {expected}")
                continue
            problem = check_feasible(inst, out)
            if problem:
                failures.append(f"#{k}: {problem}")
            elif out["greedy"]["objective"] < out["objective"]:
                gaps += 1
    for line in failures[:20]:
        print(line, file=sys.stderr)
    status = "OK" if not failures else "FAILED"
    print(f"check_assignment: {status}: {args.instances - len(failures)}/{args.instances} instances match networkx "
          f"(seed {args.seed}); greedy was suboptimal on {gaps}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
