"""Capacitated assignment for a fixed set of open sites.

May import :mod:`footprint.locate`'s base modules (problem, silence_native_output) and scipy only.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..problem import LocationProblem
from ..silence_native_output import quiet_fds

__all__ = ["assign_capacitated"]


def _model(problem: LocationProblem, open_sites: np.ndarray):
    n = problem.n_groups
    allowed = problem.allowed_or_all()[:, open_sites]
    pr, pk = np.nonzero(allowed)
    ps = open_sites[pk]
    has_u = problem.unassigned_cost is not None
    n_x = pr.size
    n_u = n if has_u else 0
    c = np.concatenate([problem.cost[pr, ps],
                        problem.unassigned_cost if has_u else np.zeros(0)])
    d = problem.demand_or_ones()
    k = open_sites.size
    rows = np.concatenate([pr, np.arange(n_u), n + pk])
    cols = np.concatenate([np.arange(n_x), n_x + np.arange(n_u), np.arange(n_x)])
    vals = np.concatenate([np.ones(n_x + n_u), d[pr]])
    a = sp.csr_array((vals, (rows, cols)), shape=(n + k, n_x + n_u))
    lo = np.concatenate([np.ones(n), np.full(k, -np.inf)])
    hi = np.concatenate([np.ones(n), problem.capacity[open_sites]])
    return c, a, lo, hi, pr, ps, n_x


def assign_capacitated(
    problem: LocationProblem, open_sites: np.ndarray, time_limit: float = 10.0
) -> tuple[np.ndarray, sp.csr_array | None, float] | None:
    """Cheapest feasible assignment to ``open_sites``.

    Split demand: a transportation LP (HiGHS). Single source: a generalised
    assignment MIP (HiGHS) with a time limit, so the answer may be
    suboptimal but is always feasible.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated problem.
    open_sites : numpy.ndarray
        Open site indices.
    time_limit : float
        Limit for the single-source MIP [s].

    Returns
    -------
    tuple or None
        ``(assignment, allocation, cost)`` with cost excluding fixed costs
        [cost units]; ``None`` when no feasible assignment was found.
    """
    open_sites = np.asarray(open_sites, dtype=np.intp)
    n = problem.n_groups
    if open_sites.size == 0:
        if problem.unassigned_cost is None:
            return None
        return np.full(n, -1, dtype=np.intp), None, float(problem.unassigned_cost.sum())
    c, a, lo, hi, pr, ps, n_x = _model(problem, open_sites)
    if c.size == 0:  # no open site may serve anyone and nobody may stay unserved
        return None
    if problem.single_source:
        with quiet_fds():  # HiGHS may print despite disp=False
            res = milp(
                c, constraints=LinearConstraint(a, lo, hi), integrality=np.ones(c.size),
                bounds=Bounds(0, 1),
                options={"time_limit": max(time_limit, 0.05), "mip_rel_gap": 1e-6},
            )
        if res.x is None:
            return None
        x = np.round(res.x[:n_x])
        assignment = np.full(n, -1, dtype=np.intp)
        on = x > 0.5
        assignment[pr[on]] = ps[on]
        return assignment, None, float(c @ np.round(res.x))
    a_eq, a_ub = a[:n], a[n:]
    with quiet_fds():
        res = linprog(c, A_ub=a_ub, b_ub=hi[n:], A_eq=a_eq, b_eq=np.ones(n),
                      bounds=(0, 1), method="highs")
    if res.status != 0:
        return None
    x = np.clip(res.x[:n_x], 0.0, 1.0)
    x[x < 1e-9] = 0.0
    alloc = sp.csr_array((x, (pr, ps)), shape=problem.cost.shape)
    alloc.eliminate_zeros()
    served = np.asarray(alloc.sum(axis=1)).ravel()
    assignment = np.where(served > 1e-9, np.asarray(alloc.argmax(axis=1)).ravel(), -1)
    return assignment.astype(np.intp), alloc, float(res.fun)
