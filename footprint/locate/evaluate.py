"""Objective evaluation and solution checking, independent of any solver.

May import :mod:`footprint.locate.problem` (and numpy/scipy) only.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .problem import LocationProblem

__all__ = ["evaluate", "nearest_assignment", "solution_violations"]


def nearest_assignment(problem: LocationProblem, open_sites: np.ndarray) -> np.ndarray:
    """Best uncapacitated assignment for a given set of open sites.

    Parameters
    ----------
    problem : LocationProblem
        The problem (capacities are ignored).
    open_sites : numpy.ndarray
        Indices of the open sites.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int site per group, ``-1`` when unserved (or when no allowed
        site is open and there is no unassigned option).
    """
    open_sites = np.asarray(open_sites, dtype=np.intp)
    n = problem.n_groups
    if open_sites.size == 0:
        return np.full(n, -1, dtype=np.intp)
    sub = np.where(problem.allowed_or_all()[:, open_sites], problem.cost[:, open_sites], np.inf)
    k = np.argmin(sub, axis=1)
    best = sub[np.arange(n), k]
    out = open_sites[k].astype(np.intp)
    out[~np.isfinite(best)] = -1
    if problem.unassigned_cost is not None:
        out[problem.unassigned_cost < best] = -1
    return out


def _alloc_matrix(
    problem: LocationProblem, assignment: np.ndarray, allocation: sp.sparray | None
) -> sp.csr_array:
    n, m = problem.cost.shape
    if allocation is not None:
        return sp.csr_array(allocation)
    rows = np.flatnonzero(assignment >= 0)
    return sp.csr_array((np.ones(rows.size), (rows, assignment[rows])), shape=(n, m))


def evaluate(
    problem: LocationProblem,
    open_sites: np.ndarray,
    assignment: np.ndarray,
    allocation: sp.sparray | None = None,
) -> float:
    """Objective value of a solution [cost units].

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    open_sites : numpy.ndarray
        Indices of open sites.
    assignment : numpy.ndarray
        ``(n,)`` site per group, ``-1`` = unassigned (ignored when
        ``allocation`` is given).
    allocation : scipy.sparse array, optional
        ``(n, m)`` served fractions for split solutions.

    Returns
    -------
    float
        Fixed costs + allocation costs + unassigned costs. Forbidden pairs
        count as ``inf``.
    """
    open_sites = np.asarray(open_sites, dtype=np.intp)
    x = _alloc_matrix(problem, np.asarray(assignment), allocation).tocoo()
    fixed = float(problem.fixed_or_zeros()[open_sites].sum())
    allowed = problem.allowed_or_all()
    used = x.data > 0
    r, c, v = x.row[used], x.col[used], x.data[used]
    if not np.all(allowed[r, c]):
        return float("inf")
    served = np.bincount(r, weights=v, minlength=problem.n_groups)
    total = fixed + float(np.sum(problem.cost[r, c] * v))
    unserved = np.clip(1.0 - served, 0.0, None)
    if problem.unassigned_cost is not None:
        total += float(problem.unassigned_cost @ unserved)
    elif np.any(unserved > 1e-6):
        return float("inf")
    return total


def solution_violations(
    problem: LocationProblem,
    open_sites: np.ndarray,
    assignment: np.ndarray,
    allocation: sp.sparray | None = None,
    tol: float = 1e-6,
) -> list[str]:
    """List the constraints a solution violates (empty = feasible).

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    open_sites, assignment, allocation
        The solution, as in :func:`evaluate`.
    tol : float
        Absolute/relative tolerance [fraction].

    Returns
    -------
    list of str
        Human-readable violations.
    """
    out: list[str] = []
    n, m = problem.cost.shape
    open_sites = np.asarray(open_sites, dtype=np.intp)
    is_open = np.zeros(m, dtype=bool)
    is_open[open_sites] = True
    if problem.n_sites is not None and open_sites.size != problem.n_sites:
        out.append(f"{open_sites.size} sites open, {problem.n_sites} required")
    if np.any(problem.forced_or_none() & ~is_open):
        out.append("a forced-open site is closed")
    x = _alloc_matrix(problem, np.asarray(assignment), allocation).tocoo()
    used = x.data > tol
    r, c, v = x.row[used], x.col[used], x.data[used]
    if np.any(~is_open[c]):
        out.append("a group is served by a closed site")
    if not np.all(problem.allowed_or_all()[r, c]):
        out.append("a forbidden pair is used")
    if problem.single_source and np.any(np.abs(v - 1.0) > tol):
        out.append("a group is split although single_source is set")
    served = np.bincount(r, weights=v, minlength=n)
    if np.any(served > 1 + tol):
        out.append("a group is served more than once")
    if problem.unassigned_cost is None and np.any(served < 1 - tol):
        out.append("a group is not served")
    if problem.capacity is not None:
        load = np.bincount(c, weights=v * problem.demand_or_ones()[r], minlength=m)
        cap = problem.capacity
        if np.any(load > cap + tol * np.maximum(cap, 1.0)):
            out.append("a capacity is exceeded")
    return out
