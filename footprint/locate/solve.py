"""Entry point: choose and run the heuristic and/or exact solver.

The solver layer's entry point; may import the rest of :mod:`footprint.locate` only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from .exact import lagrangian_capacitated as capacitated
from .exact.highs_models import solve_exact
from .exact.reductions import aggregate_rows
from .exact.restricted_model import MAX_PAIRS
from .feasibility import InfeasibleProblem, check_feasibility
from .heuristic.local_search import solve_heuristic
from .problem import LocationProblem
from .result import LocationResult, relative_gap

__all__ = ["solve"]

ProgressFn = Callable[[float, str], "bool | None"]

#: Share of the time limit that "auto" gives the heuristic start [fraction].
HEURISTIC_SHARE = 0.1
#: The same for capacitated problems too large for one HiGHS model
#: (:data:`~footprint.locate.exact.restricted_model.MAX_PAIRS`) [fraction].
LARGE_HEURISTIC_SHARE = 0.5
#: Share for the single-source heuristic before the split bound runs
#: (:func:`~footprint.locate.exact.lagrangian_capacitated.solve_single_source`) [fraction].
SINGLE_SOURCE_SHARE = 0.3
#: Share of the rest for the split tree when HiGHS can then take the whole model [fraction].
TREE_SHARE = 0.3


def with_bound(res: LocationResult, bound: float, mip_gap: float) -> LocationResult:
    """``res`` with the better of its own bound and ``bound`` (both valid), gap and status to match."""
    if not math.isfinite(bound) or (math.isfinite(res.bound) and res.bound >= bound):
        return res
    bound = min(bound, res.objective)
    gap = relative_gap(res.objective, bound)
    status = "optimal" if gap <= mip_gap and res.status != "cancelled" else res.status
    return replace(res, bound=bound, gap=gap, status=status)


def _single_source_bound(problem: LocationProblem) -> bool:
    """True for the problems "auto"/"exact" solve by heuristic + split bound.

    Single source with a fixed number of sites and at least
    :data:`~footprint.locate.exact.lagrangian_capacitated.MIN_PAIRS` pairs: HiGHS's model
    has no bound there after minutes (1000 x 300, p = 30) or runs out of
    memory (5000 x 1000). Where the model fits HiGHS whole
    (:data:`~footprint.locate.exact.restricted_model.MAX_PAIRS`, e.g. the demo's
    offices moved whole, 320 x 320), HiGHS then closes the gap.
    """
    return (problem.capacitated and problem.single_source and problem.n_sites is not None
            and problem.n_groups * problem.n_candidates >= capacitated.MIN_PAIRS)


def solve(
    problem: LocationProblem,
    method: str = "auto",
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    random_state: int | None = 0,
    warm_start: np.ndarray | None = None,
    progress: ProgressFn | None = None,
) -> LocationResult:
    """Solve a facility-location problem.

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    method : {"auto", "exact", "heuristic"}
        ``"heuristic"``: fast local search, no proof. ``"exact"``: HiGHS MIP.
        ``"auto"``: heuristic start (up to 10 % of the time), then the exact
        solver warm-started from it within the remaining time. ``"exact"``
        also starts from a quick greedy + interchange solution. With
        capacities and a fixed number of sites on large problems: split
        demand starts the Lagrangian tree from the p-median sites;
        single source (from :data:`~footprint.locate.exact.lagrangian_capacitated.MIN_PAIRS`
        pairs) runs the heuristic for 30 % of the time, then the split
        relaxation's tree for the bound
        (:func:`~footprint.locate.exact.lagrangian_capacitated.solve_single_source`), then,
        where the model fits HiGHS whole, HiGHS to close the gap.
    time_limit : float
        Overall wall-clock limit [s].
    mip_gap : float
        Relative gap at which the exact solver stops [fraction].
    random_state : int, optional
        Seed of the heuristic.
    warm_start : numpy.ndarray, optional
        Open sites to start from.
    progress : callable, optional
        ``progress(fraction, message)`` called regularly; returning True
        cancels and returns the best solution so far (status
        ``"cancelled"``).

    Returns
    -------
    LocationResult

    Raises
    ------
    InfeasibleProblem
        When :func:`check_feasibility` finds reasons before solving.
    ValueError
        For an unknown ``method``.
    """
    if method not in ("auto", "exact", "heuristic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'heuristic', got {method!r}")
    t0 = time.perf_counter()
    reasons = check_feasibility(problem)
    if reasons:
        raise InfeasibleProblem(reasons)
    if method == "heuristic":
        res = solve_heuristic(problem, time_limit=time_limit, random_state=random_state,
                              warm_start=warm_start, progress=progress)
        return replace(res, seconds=time.perf_counter() - t0)
    if _single_source_bound(problem):
        incumbent = solve_heuristic(problem, time_limit=SINGLE_SOURCE_SHARE * time_limit,
                                    random_state=random_state, warm_start=warm_start,
                                    progress=progress, progress_span=(0.0, SINGLE_SOURCE_SHARE))
        if incumbent.status == "cancelled":
            return replace(incumbent, seconds=time.perf_counter() - t0)
        # the split relaxation's bound and the tree's plans first; where the model fits
        # HiGHS whole (the demo's offices moved whole), HiGHS then closes the gap
        whole = problem.n_groups * problem.n_candidates <= MAX_PAIRS
        tree_share = TREE_SHARE if whole else 1.0
        remaining = time_limit - (time.perf_counter() - t0)
        mid = SINGLE_SOURCE_SHARE + tree_share * (1.0 - SINGLE_SOURCE_SHARE)
        res = capacitated.solve_single_source(
            problem, incumbent if incumbent.feasible else None,
            time_limit=max(tree_share * remaining, 0.01), mip_gap=mip_gap, progress=progress,
            progress_span=(SINGLE_SOURCE_SHARE, mid))
        if whole and res.feasible and res.status not in ("optimal", "cancelled"):
            remaining = time_limit - (time.perf_counter() - t0)
            exact = solve_exact(problem, time_limit=max(remaining, 0.01), mip_gap=mip_gap,
                                progress=progress, progress_span=(mid, 1.0), incumbent=res,
                                formulation="strong")
            res = with_bound(exact, res.bound, mip_gap)
        return replace(res, seconds=time.perf_counter() - t0)
    if (problem.n_sites is not None and capacitated.applies(problem)
            and problem.n_groups * problem.n_candidates >= capacitated.MIN_PAIRS):
        # split demand, fixed p: the Lagrangian tree (exact.py's "auto") from a
        # quick start; its own local search replaces the slow capacitated one
        start = capacitated.quick_start(problem, aggregate_rows(problem),
                                        min(HEURISTIC_SHARE * time_limit, 10.0),
                                        warm_start=warm_start, progress=progress,
                                        progress_span=(0.0, HEURISTIC_SHARE))
        if start is not None:
            remaining = time_limit - (time.perf_counter() - t0)
            res = solve_exact(problem, time_limit=max(remaining, 0.01), mip_gap=mip_gap,
                              progress=progress, progress_span=(HEURISTIC_SHARE, 1.0),
                              incumbent=start)
            return replace(res, seconds=time.perf_counter() - t0)
    # "auto": a full heuristic run; "exact": a quick greedy + descent start,
    # so that a time-limited run always has an incumbent
    large = problem.capacitated and problem.n_groups * problem.n_candidates > MAX_PAIRS
    if method == "auto":
        # too large for HiGHS whole: the exact path only bounds and searches a part, so
        # the heuristic's own search is worth more of the time
        share = LARGE_HEURISTIC_SHARE * time_limit if large else min(HEURISTIC_SHARE * time_limit, 10.0)
    else:
        share = min(HEURISTIC_SHARE * time_limit, 1.0)
    incumbent = solve_heuristic(problem, time_limit=share, random_state=random_state,
                                warm_start=warm_start, progress=progress,
                                progress_span=(0.0, share / time_limit),
                                max_iter=1000 if method == "auto" or (
                                    problem.capacitated and problem.single_source) else 0)
    if incumbent.status == "cancelled":
        return replace(incumbent, seconds=time.perf_counter() - t0)
    if incumbent.status == "feasible":
        warm_start = incumbent.open_sites
    else:
        incumbent = None
    span = (share / time_limit, 1.0)
    remaining = time_limit - (time.perf_counter() - t0)
    res = solve_exact(problem, time_limit=max(remaining, 0.01), mip_gap=mip_gap,
                      warm_start=warm_start, progress=progress, progress_span=span,
                      incumbent=incumbent)
    return replace(res, seconds=time.perf_counter() - t0)
