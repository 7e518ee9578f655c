"""Exact Shapley values of a small cooperative game (the levers of a scenario).

For ``k`` players and a value function ``v`` over subsets, the Shapley value of
player ``i`` is the average, over all ``k!`` orders in which the players can be
added, of ``i``'s marginal contribution::

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (k − |S| − 1)! / k! · (v(S ∪ {i}) − v(S))

It is computed exactly from the ``2^k`` subset values (no sampling), so the
values add up to ``v(N) − v(∅)`` (efficiency) and do not depend on the order in
which the players are listed (symmetry). ``k`` is the number of levers a
scenario changes (at most about ten), so ``2^k`` evaluations are cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from itertools import combinations

import numpy as np

#: Above this many players the exact computation is refused (2^k evaluations).
MAX_PLAYERS = 12


def all_subsets(players: Sequence[Hashable]) -> list[frozenset]:
    """Every subset of ``players``, smallest first."""
    return [
        frozenset(c) for r in range(len(players) + 1) for c in combinations(players, r)
    ]


def shapley_values(
    players: Sequence[Hashable], value: Callable[[frozenset], float | np.ndarray]
) -> dict[Hashable, float | np.ndarray]:
    """Exact Shapley values of ``players`` under the value function ``value``.

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names.
    value : callable
        ``value(frozenset of players) -> float`` or a numpy vector (the game is
        then solved component-wise, e.g. emissions by category). It is called
        once per subset.

    Returns
    -------
    dict
        Player → Shapley value (same type as ``value`` returns).
    """
    players = list(players)
    k = len(players)
    if len(set(players)) != k:
        raise ValueError("players must be distinct")
    if k > MAX_PLAYERS:
        raise ValueError(
            f"{k} players: the exact Shapley value needs 2^{k} evaluations; at most {MAX_PLAYERS}"
        )
    v = {s: np.asarray(value(s), dtype=float) for s in all_subsets(players)}
    weight = [
        math.factorial(r) * math.factorial(k - r - 1) / math.factorial(k)
        for r in range(k)
    ]
    out: dict[Hashable, float | np.ndarray] = {}
    for p in players:
        terms = [weight[len(s)] * (v[s | {p}] - v[s]) for s in v if p not in s]
        total = (
            np.sum(np.stack(terms), axis=0) if terms else np.zeros_like(v[frozenset()])
        )
        if total.ndim == 0:
            total = math.fsum(float(t) for t in terms)
        out[p] = total
    return out
