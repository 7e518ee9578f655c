"""Exact reductions applied before building a MIP.

May import :mod:`footprint.locate.problem` (and numpy, numba) only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ..problem import LocationProblem

__all__ = ["Reduced", "aggregate_rows", "cost_caps"]


@dataclass(frozen=True)
class Reduced:
    """Problem rows after merging interchangeable demand groups.

    Attributes
    ----------
    cost : numpy.ndarray
        ``(r, m)`` merged cost rows [cost units], ``inf`` on forbidden pairs.
    demand : numpy.ndarray
        ``(r,)`` merged demand [demand units].
    unassigned : numpy.ndarray
        ``(r,)`` merged unassigned cost [cost units], ``inf`` when none.
    members : numpy.ndarray
        ``(n,)`` merged row index of every original group.
    """

    cost: np.ndarray
    demand: np.ndarray
    unassigned: np.ndarray
    members: np.ndarray


def aggregate_rows(problem: LocationProblem) -> Reduced:
    """Merge demand groups that are interchangeable.

    Uncapacitated: identical cost rows, allowed pattern and unassigned cost.
    Capacitated with split demand: identical per-unit costs. Single-source
    capacitated problems are not aggregated.

    Parameters
    ----------
    problem : LocationProblem
        The problem.

    Returns
    -------
    Reduced
        Merged rows; summing costs keeps every objective value unchanged.
    """
    n = problem.n_groups
    cost = problem.masked_cost()
    demand = problem.demand_or_ones()
    unassigned = (
        problem.unassigned_cost.copy()
        if problem.unassigned_cost is not None
        else np.full(n, np.inf)
    )
    identity = Reduced(cost, demand, unassigned, np.arange(n))
    if problem.capacitated and problem.single_source:
        return identity
    if problem.capacitated and np.any(demand <= 0):
        return identity
    per = demand if problem.capacitated else np.ones(n)
    # only rows that share a random projection of their key can be equal: the exact
    # comparison runs on those alone (no (n, m) key array, no sort of every row)
    probe = _projection(cost, unassigned, per)
    _, where, seen = np.unique(probe, return_inverse=True, return_counts=True)
    maybe = np.flatnonzero(seen[where] > 1)
    if maybe.size == 0:
        return identity
    key = np.column_stack([cost[maybe] / per[maybe, None], unassigned[maybe] / per[maybe]])
    _, first_m, inverse_m, counts = np.unique(
        key, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    if counts.max() == 1:
        return identity
    # rows outside ``maybe`` are their own class; classes numbered by first row
    label = np.arange(n)
    label[maybe] = maybe[first_m][inverse_m.ravel()]
    first, inverse = np.unique(label, return_inverse=True)
    inverse = inverse.ravel()
    counts = np.bincount(inverse)
    r = first.size
    new_demand = np.bincount(inverse, weights=demand, minlength=r)
    scale = new_demand / demand[first] if problem.capacitated else counts.astype(float)
    return Reduced(
        cost=cost[first] * scale[:, None],
        demand=new_demand,
        unassigned=unassigned[first] * scale,
        members=inverse,
    )


@numba.njit(cache=True)
def _row_probe(cost, unassigned, per, v):  # pragma: no cover - compiled
    """Per row, ``sum_j key_j v_j`` of the key ``[cost, unassigned] / per`` in a fixed
    order (equal keys give bit-equal probes); a forbidden pair (``inf``) adds ``v_j / 3``
    instead, an infinite unassigned cost ``v_m / 3``."""
    n, m = cost.shape
    out = np.empty(n)
    for i in range(n):
        total = 0.0
        for j in range(m + 1):
            x = cost[i, j] if j < m else unassigned[i]
            total += v[j] * (x / per[i] if np.isfinite(x) else 1.0 / 3.0)
        out[i] = total
    return out


def _projection(cost: np.ndarray, unassigned: np.ndarray, per: np.ndarray) -> np.ndarray:
    """A random projection of every row's key ``[cost, unassigned] / per``: equal keys
    give equal values; unequal ones almost never do."""
    v = np.random.default_rng(12345).uniform(0.5, 1.5, cost.shape[1] + 1)
    return _row_probe(np.ascontiguousarray(cost, dtype=np.float64),
                      np.ascontiguousarray(unassigned, dtype=np.float64),
                      np.ascontiguousarray(per, dtype=np.float64), v)


def cost_caps(problem: LocationProblem, red: Reduced) -> np.ndarray:
    """Upper bound on the cost of every merged row in any optimal solution.

    Valid for uncapacitated problems only: the unassigned cost, the nearest
    forced-open site, and (with exactly p sites) the (m-p+1)-th cheapest
    site, one of which is always open.

    Parameters
    ----------
    problem : LocationProblem
        The (uncapacitated) problem.
    red : Reduced
        Merged rows.

    Returns
    -------
    numpy.ndarray
        ``(r,)`` caps [cost units], ``inf`` when none applies.
    """
    cap = red.unassigned.copy()
    forced = problem.forced_or_none()
    if forced.any():
        cap = np.minimum(cap, red.cost[:, forced].min(axis=1))
    p = problem.n_sites
    m = problem.n_candidates
    if p is not None:
        k = m - p  # 0-based rank of the (m-p+1)-th cheapest
        cap = np.minimum(cap, np.partition(red.cost, k, axis=1)[:, k])
    return cap
