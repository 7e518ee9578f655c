"""Reference solver by enumeration, for tests on tiny instances.

May import :mod:`footprint.locate` modules only.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..evaluate import evaluate, nearest_assignment, solution_violations
from ..heuristic.capacitated_assignment import assign_capacitated
from ..problem import LocationProblem

__all__ = ["brute_force"]


def _subsets(problem: LocationProblem):
    m = problem.n_candidates
    forced = set(np.flatnonzero(problem.forced_or_none()).tolist())
    sizes = [problem.n_sites] if problem.n_sites is not None else range(m + 1)
    for k in sizes:
        for combo in itertools.combinations(range(m), k):
            if forced.issubset(combo):
                yield np.array(combo, dtype=np.intp)


def _single_source(problem: LocationProblem, sites: np.ndarray) -> float:
    n = problem.n_groups
    options = list(sites) + ([-1] if problem.unassigned_cost is not None else [])
    best = math.inf
    for combo in itertools.product(options, repeat=n):
        a = np.array(combo, dtype=np.intp)
        if solution_violations(problem, sites, a):
            continue
        best = min(best, evaluate(problem, sites, a))
    return best


def brute_force(problem: LocationProblem) -> float:
    """Optimal objective by enumerating every admissible set of open sites.

    Uncapacitated: nearest assignment. Split capacities: a transportation
    LP per set. Single source: every assignment is enumerated too, so keep
    ``n`` and ``m`` tiny (``(m + 1) ** n`` assignments per set).

    Parameters
    ----------
    problem : LocationProblem
        Tiny problem (``m <= 8``).

    Returns
    -------
    float
        Optimal objective [cost units]; ``inf`` when infeasible.
    """
    if problem.n_candidates > 10:
        raise ValueError("brute force is limited to 10 candidate sites")
    best = math.inf
    for sites in _subsets(problem):
        if not problem.capacitated:
            a = nearest_assignment(problem, sites)
            if solution_violations(problem, sites, a):
                continue
            val = evaluate(problem, sites, a)
        elif problem.single_source:
            val = _single_source(problem, sites)
        else:
            out = assign_capacitated(problem, sites)
            if out is None:
                continue
            val = float(problem.fixed_or_zeros()[sites].sum() + out[2])
        best = min(best, val)
    return best
