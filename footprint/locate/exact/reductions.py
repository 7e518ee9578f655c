"""Exact reductions applied before building a MIP.

May import :mod:`footprint.locate.problem` (and numpy) only.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    cost = np.where(problem.allowed_or_all(), problem.cost, np.inf)
    demand = problem.demand_or_ones()
    unassigned = (
        problem.unassigned_cost.copy()
        if problem.unassigned_cost is not None
        else np.full(n, np.inf)
    )
    identity = Reduced(cost, demand, unassigned, np.arange(n))
    if problem.capacitated and problem.single_source:
        return identity
    if problem.capacitated:
        if np.any(demand <= 0):
            return identity
        key = np.column_stack([cost / demand[:, None], unassigned / demand])
    else:
        key = np.column_stack([cost, unassigned])
    _, first, inverse, counts = np.unique(
        key, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    if counts.max() == 1:
        return identity
    inverse = inverse.ravel()
    r = first.size
    new_demand = np.bincount(inverse, weights=demand, minlength=r)
    scale = new_demand / demand[first] if problem.capacitated else counts.astype(float)
    return Reduced(
        cost=cost[first] * scale[:, None],
        demand=new_demand,
        unassigned=unassigned[first] * scale,
        members=inverse,
    )


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
