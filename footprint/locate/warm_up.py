"""Compile or load the optimiser's numba kernels ahead of the first real solve.

May import the rest of :mod:`footprint.locate` only.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from .exact.highs_models import solve_exact
from .exact.lagrangian_capacitated import solve_single_source
from .problem import LocationProblem
from .solve import solve

__all__ = ["warm_up"]


def warm_up() -> float:
    """Run every compiled code path once on a tiny problem.

    The first call after an installation compiles the kernels and caches them
    on disk (about 10 s); in later processes it only loads that cache (well
    under a second). The app runs it in a background thread at start-up so
    the first "Optimise" click does not wait for the compiler; the benchmarks
    run it so that their timings leave it out.

    Returns
    -------
    float
        Seconds taken [s].
    """
    t0 = time.perf_counter()
    cost = np.array([[0.0, 2.0, 3.0], [2.0, 0.0, 1.0], [3.0, 1.0, 0.0], [1.0, 4.0, 2.0]])
    for problem in (LocationProblem(cost=cost, n_sites=2),
                    LocationProblem(cost=cost, fixed_cost=np.array([1.0, 2.0, 1.5]))):
        for method in ("heuristic", "exact"):
            solve(problem, method, time_limit=60.0)
    # capacities with split demand: "auto" uses the Lagrangian tree only on big problems
    split = LocationProblem(cost=cost, fixed_cost=np.array([1.0, 2.0, 1.5]),
                            demand=np.array([1.0, 2.0, 1.0, 1.0]), capacity=np.array([3.0, 3.0, 2.0]))
    solve_exact(split, formulation="lagrangian-split", time_limit=60.0)
    # a fixed number of sites: the count knapsack; single source: the split bound
    split_p = replace(split, n_sites=2)
    solve_exact(split_p, formulation="lagrangian-split", time_limit=60.0)
    solve_single_source(replace(split_p, single_source=True), None, time_limit=60.0)
    return time.perf_counter() - t0
