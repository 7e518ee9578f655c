"""Exact search on capacitated problems too large to hand to HiGHS whole.

HiGHS holds about a kilobyte per (row, candidate) pair of the strong model, so
the demo by staff group (23,636 groups × 320 sites, 7.6 million pairs) needs
more than 8 GB and minutes before its first answer. Above :data:`MAX_PAIRS`
pairs the exact path therefore works in two parts, in ``O(r·m)`` memory for
the ``r × m`` cost matrix plus ``O(MAX_PAIRS)`` for HiGHS:

1. a **lower bound on the whole problem** by Lagrangian relaxation of the
   assignment rows (the capacitated split-demand bound where it applies, which
   is valid for single-source too; else the uncapacitated one, valid because
   dropping capacities only lowers the optimum);
2. **HiGHS on a restricted model**: every row keeps its ``K`` cheapest allowed
   candidates and the one(s) serving it in the best known plan, ``K`` chosen so
   that the model holds at most :data:`MAX_PAIRS` pairs. Every plan of the
   restricted model is a plan of the whole problem with the same cost, so the
   result is never worse than the start; the restricted model's own bound is
   not a bound for the whole problem, and is not reported.

May import only the solver layer (:mod:`footprint.locate` modules).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..problem import LocationProblem
from ..result import LocationResult, relative_gap
from . import lagrangian_capacitated as capacitated
from .lagrangian_uncapacitated import lagrangian_bound
from .reductions import Reduced, aggregate_rows

__all__ = ["MAX_PAIRS", "too_large", "solve_restricted"]

ProgressFn = Callable[[float, str], "bool | None"]

#: Largest number of (row, candidate) pairs of a HiGHS model (about 1 kB each).
MAX_PAIRS = 250_000

#: Share of the time limit for the lower bound [fraction].
BOUND_SHARE = 0.3


def too_large(problem: LocationProblem, red: Reduced) -> bool:
    """True when the strong model of a capacitated problem would exceed :data:`MAX_PAIRS`."""
    return problem.capacitated and int(np.isfinite(red.cost).sum()) > MAX_PAIRS


def whole_bound(
    problem: LocationProblem, red: Reduced, upper: float, stop: Callable[[], bool]
) -> tuple[float, str]:
    """A valid lower bound on the whole problem, and how it was obtained.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated problem (single-source or split).
    red : Reduced
        Its merged rows.
    upper : float
        Objective of a known plan (aims the subgradient steps) [cost units].
    stop : callable
        True ends the ascent early (the bound so far is still valid).

    Returns
    -------
    bound : float
        [cost units]; ``-inf`` when nothing was proven.
    how : str
        The relaxation, in words.
    """
    relaxed = (
        replace(problem, single_source=False) if problem.single_source else problem
    )
    if capacitated.applies(relaxed):
        bound, _ = capacitated.lagrangian_split_bound(
            relaxed, aggregate_rows(relaxed), upper
        )
        return bound, "Lagrangian bound with capacities"
    bound, _ = lagrangian_bound(
        red.cost,
        red.unassigned,
        problem.fixed_or_zeros(),
        problem.n_sites,
        problem.forced_or_none(),
        upper,
        stop=stop,
    )
    return bound, "Lagrangian bound without capacities"


def restricted_allowed(
    problem: LocationProblem, incumbent: LocationResult, per_row: int
) -> np.ndarray:
    """Allowed pairs of the restricted model: each row's ``per_row`` cheapest allowed
    candidates, and the pairs the incumbent uses. ``(n, m)`` bool."""
    cost = problem.masked_cost()
    n, m = cost.shape
    k = min(per_row, m)
    near = np.argpartition(cost, k - 1, axis=1)[:, :k]
    keep = np.zeros((n, m), dtype=bool)
    np.put_along_axis(keep, near, True, axis=1)
    keep &= np.isfinite(cost)
    served = incumbent.assignment >= 0
    keep[np.flatnonzero(served), incumbent.assignment[served]] = True
    if incumbent.allocation is not None:
        rows, cols = incumbent.allocation.nonzero()
        keep[rows, cols] = True
    return keep


def solve_restricted(
    problem: LocationProblem,
    red: Reduced,
    incumbent: LocationResult,
    *,
    time_limit: float,
    mip_gap: float,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
) -> LocationResult:
    """Bound the whole problem, then improve ``incumbent`` with HiGHS on a restricted model.

    Parameters
    ----------
    problem : LocationProblem
        A capacitated problem for which :func:`too_large` is True.
    red : Reduced
        Its merged rows.
    incumbent : LocationResult
        A feasible plan (the result is never worse).
    time_limit : float
        Wall-clock limit [s].
    mip_gap : float
        Relative gap at which to stop [fraction].
    progress : callable, optional
        ``progress(fraction, message)``; True cancels (the best plan so far is returned).
    progress_span : tuple of float
        Part of the progress bar this call covers.

    Returns
    -------
    LocationResult
        The better of the incumbent and the restricted model's plan, with the
        whole problem's bound and gap; status ``"optimal"`` when the gap is
        within ``mip_gap``, ``"cancelled"`` on request, ``"time_limit"`` when
        the time ran out, else ``"feasible"``.
    """
    from .highs_models import (
        solve_exact,  # the restricted model is an ordinary exact solve
    )

    t0 = time.perf_counter()
    lo, hi = progress_span
    cancelled = False

    def stop_bound() -> bool:
        nonlocal cancelled
        elapsed = time.perf_counter() - t0
        if progress and progress(
            lo
            + (hi - lo) * BOUND_SHARE * min(1.0, elapsed / (BOUND_SHARE * time_limit)),
            "lower bound of the whole problem (Lagrangian relaxation)",
        ):
            cancelled = True
        return cancelled or elapsed > BOUND_SHARE * time_limit

    bound, how = whole_bound(problem, red, incumbent.objective, stop_bound)
    best = incumbent
    # the incumbent's own pairs come on top of each row's cheapest
    per_row = max(2, MAX_PAIRS // max(problem.n_groups, 1) - 1)
    note = ""
    remaining = time_limit - (time.perf_counter() - t0)
    if (
        not cancelled
        and relative_gap(best.objective, bound) > mip_gap
        and remaining > 0.5
    ):
        sub = replace(problem, allowed=restricted_allowed(problem, incumbent, per_row))
        res = solve_exact(
            sub,
            time_limit=remaining,
            mip_gap=mip_gap,
            incumbent=incumbent,
            formulation="strong-restricted",
            progress=progress,
            progress_span=(lo + (hi - lo) * BOUND_SHARE, hi),
        )
        cancelled = res.status == "cancelled"
        if math.isfinite(res.objective) and res.objective < best.objective:
            best = res
        note = (
            f"; HiGHS searched each group's {per_row} cheapest sites "
            f"({'improved the start' if best is res else 'no better plan'}: {res.message})"
        )
    bound = min(bound, best.objective) if math.isfinite(bound) else math.nan
    gap = relative_gap(best.objective, bound)
    if gap <= mip_gap:
        status = "optimal"
    elif cancelled:
        status = "cancelled"
    elif time.perf_counter() - t0 >= 0.95 * time_limit:
        status = "time_limit"
    else:
        status = "feasible"
    pairs = int(np.isfinite(red.cost).sum())
    return LocationResult(
        open_sites=best.open_sites,
        assignment=best.assignment,
        allocation=best.allocation,
        objective=best.objective,
        bound=bound,
        gap=gap,
        status=status,
        method=f"exact:restricted-highs+{incumbent.method}",
        seconds=time.perf_counter() - t0,
        message=f"whole model too large for HiGHS ({pairs:,} pairs; at most {MAX_PAIRS:,}); {how}{note}",
    )
