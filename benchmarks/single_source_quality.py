"""Single-source heuristic against proven optima (HiGHS, gap 0) on small random instances.

Prints how many of the feasible instances the heuristic solves to optimality
and its mean / worst gap [%]. The instances are the shape of the unit tests'
(costs 1–29, demands 1–3, capacities 3–8, forbidden pairs, optional fixed p,
forced sites and unserved costs), with enough groups that capacity binds.

Usage: ``python benchmarks/single_source_quality.py [--instances 200] [--n 7] [--m 4]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from footprint.locate import LocationProblem, solve
from footprint.locate.feasibility import check_feasibility


def random_problem(seed: int, n: int, m: int) -> LocationProblem:
    """A tiny single-source instance (seeded)."""
    rng = np.random.default_rng(seed)
    forced = np.zeros(m, dtype=bool)
    if rng.random() < 0.5:
        forced[rng.integers(m)] = True
    p = bool(rng.random() < 0.5)
    return LocationProblem(
        cost=rng.integers(1, 30, (n, m)).astype(float),
        demand=rng.integers(1, 4, n).astype(float),
        capacity=rng.integers(3, 9, m).astype(float),
        single_source=True,
        n_sites=int(rng.integers(max(1, int(forced.sum())), m + 1)) if p else None,
        fixed_cost=None if p else rng.integers(0, 15, m).astype(float),
        forced_open=forced,
        allowed=rng.random((n, m)) < 0.8,
        unassigned_cost=rng.integers(10, 60, n).astype(float) if rng.random() < 0.5 else None,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=200)
    ap.add_argument("--n", type=int, default=12, help="staff groups per instance")
    ap.add_argument("--m", type=int, default=6, help="candidate sites per instance")
    args = ap.parse_args()
    gaps, wrong, secs = [], 0, 0.0
    for seed in range(args.instances):
        problem = random_problem(seed, args.n, args.m)
        if check_feasibility(problem):
            continue
        ref = solve(problem, "exact", time_limit=60, mip_gap=0.0)
        if not ref.proven_optimal:
            continue
        best = ref.objective
        t = time.perf_counter()
        res = solve(problem, "heuristic", time_limit=5)
        secs += time.perf_counter() - t
        if res.status != "feasible":
            wrong += 1
            continue
        gaps.append(100.0 * (res.objective - best) / max(abs(best), 1e-9))
    g = np.asarray(gaps)
    print(f"{g.size} feasible instances (n={args.n}, m={args.m}); heuristic said not feasible on {wrong}")
    print(f"optimal on {int((g < 1e-7).sum())} of {g.size}; mean gap {g.mean():.3f} %, "
          f"worst {g.max():.2f} %; heuristic time {secs:.2f} s in all")


if __name__ == "__main__":
    main()
