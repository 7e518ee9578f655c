"""Fast heuristics for single-source capacitated problems.

* :func:`gap_assign`: single-source assignment of groups to a fixed set of
  open sites (a generalised assignment problem): Martello-Toth regret greedy
  with capacities, a first-fit-decreasing fallback, then shift / swap local
  search. Pure numpy, milliseconds for a few hundred groups.
* :func:`single_source_search`: open-set search around it: a feasible
  construction (uncapacitated interchange answer, capacity topped up), then
  cluster relocation (locate-allocate) and swap moves ranked by their
  uncapacitated delta, each re-evaluated with :func:`gap_assign`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["gap_assign", "improve_assignment"]

_TOL = 1e-9


def _regret_greedy(c: np.ndarray, d: np.ndarray, cap: np.ndarray) -> np.ndarray | None:
    """Martello-Toth regret greedy; ``None`` when a group cannot be placed."""
    n, k = c.shape
    r = cap.astype(float).copy()
    a = np.full(n, -1, dtype=np.intp)
    left = np.ones(n, dtype=bool)
    tol = _TOL * max(float(d.max(initial=0.0)), 1.0)
    for _ in range(n):
        idx = np.flatnonzero(left)
        if idx.size == 0:
            break
        fits = d[idx, None] <= r[None, :] + tol
        cc = np.where(fits, c[idx], np.inf)
        if k >= 2:
            two = np.partition(cc, 1, axis=1)
            best, second = two[:, 0], two[:, 1]
        else:
            best, second = cc[:, 0], np.full(idx.size, np.inf)
        if not np.all(np.isfinite(best)):
            return None
        regret = np.where(np.isfinite(second), second - best, np.inf)
        # groups with a single option first, then the largest regret; ties:
        # the largest demand
        top = np.flatnonzero(regret == regret.max())
        t = top[np.argmax(d[idx[top]])] if top.size > 1 else top[0]
        i = idx[t]
        j = int(np.argmin(cc[t]))
        a[i] = j
        r[j] -= d[i]
        left[i] = False
    return a


def _first_fit_decreasing(c: np.ndarray, d: np.ndarray, cap: np.ndarray) -> np.ndarray | None:
    """Largest groups first, each to its cheapest site with room."""
    n, _ = c.shape
    r = cap.astype(float).copy()
    a = np.full(n, -1, dtype=np.intp)
    tol = _TOL * max(float(d.max(initial=0.0)), 1.0)
    for i in np.argsort(-d, kind="stable"):
        cc = np.where(d[i] <= r + tol, c[i], np.inf)
        j = int(np.argmin(cc))
        if not np.isfinite(cc[j]):
            return None
        a[i] = j
        r[j] -= d[i]
    return a


def improve_assignment(c: np.ndarray, d: np.ndarray, cap: np.ndarray, a: np.ndarray,
                       max_moves: int = 10_000, swaps: bool = True) -> np.ndarray:
    """Shift and swap local search on a feasible single-source assignment.

    Parameters
    ----------
    c : numpy.ndarray
        ``(n, k)`` costs of the open sites (``inf`` = forbidden).
    d : numpy.ndarray
        ``(n,)`` demands.
    cap : numpy.ndarray
        ``(k,)`` capacities (``inf`` allowed).
    a : numpy.ndarray
        ``(n,)`` feasible assignment (column indices of ``c``).
    max_moves : int
        Largest number of moves.
    swaps : bool
        Also try exchanging two groups between their sites.

    Returns
    -------
    numpy.ndarray
        The improved assignment.
    """
    n, k = c.shape
    a = a.copy()
    rows = np.arange(n)
    load = np.bincount(a, weights=d, minlength=k)
    r = cap - load
    scale = float(np.abs(c[np.isfinite(c)]).max(initial=1.0))
    eps = 1e-12 * max(scale, 1.0) * n
    tol = _TOL * max(float(d.max(initial=0.0)), 1.0)
    for _ in range(max_moves):
        cur = c[rows, a]
        delta = c - cur[:, None]
        delta[d[:, None] > r[None, :] + tol] = np.inf
        delta[rows, a] = np.inf
        f = int(np.argmin(delta))
        i, j = divmod(f, k)
        if delta[i, j] < -eps:
            r[a[i]] += d[i]
            r[j] -= d[i]
            a[i] = j
            continue
        if not swaps:
            break
        # ejection chain: i moves to the site of i2, i2 moves on to its best
        # site with room (its best shift above)
        out_k = np.argmin(delta, axis=1)
        out_d = delta[rows, out_k]
        s = c[:, a]  # s[i, i2] = cost of i at the site of i2
        dd = s - cur[:, None] + out_d[None, :]
        feas = r[a][None, :] + d[None, :] - d[:, None] >= -tol
        feas &= a[:, None] != a[None, :]
        feas &= out_k[None, :] != a[:, None]  # i2 must not need i's old room
        dd[~feas] = np.inf
        np.fill_diagonal(dd, np.inf)
        f = int(np.argmin(dd))
        i, i2 = divmod(f, n)
        if dd[i, i2] < -eps:
            j2, k2 = a[i2], out_k[i2]
            r[a[i]] += d[i]
            r[j2] += d[i2] - d[i]
            r[k2] -= d[i2]
            a[i], a[i2] = j2, k2
            continue
        dd = s + s.T - cur[:, None] - cur[None, :]
        ra = r[a]
        feas = (ra[None, :] + d[None, :] - d[:, None] >= -tol) & (
            ra[:, None] + d[:, None] - d[None, :] >= -tol)
        feas &= a[:, None] != a[None, :]
        dd[~feas] = np.inf
        f = int(np.argmin(dd))
        i, i2 = divmod(f, n)
        if not dd[i, i2] < -eps:
            break
        ja, jb = a[i], a[i2]
        r[ja] += d[i] - d[i2]
        r[jb] += d[i2] - d[i]
        a[i], a[i2] = jb, ja
    return a


def gap_assign(c: np.ndarray, d: np.ndarray, cap: np.ndarray, *, improve: bool = True,
               swaps: bool = True, fallback: Callable[[], np.ndarray | None] | None = None,
               big: float = math.inf) -> tuple[np.ndarray, float] | None:
    """Heuristic single-source assignment to fixed open sites.

    Parameters
    ----------
    c : numpy.ndarray
        ``(n, k)`` costs (``inf`` = forbidden); a virtual "unserved" column
        may be included with an infinite capacity.
    d : numpy.ndarray
        ``(n,)`` demands.
    cap : numpy.ndarray
        ``(k,)`` capacities.
    improve, swaps : bool
        Run the shift (and swap) local search after construction.
    fallback : callable, optional
        Called when both constructions fail; returns an assignment or None
        (e.g. a small MIP).
    big : float
        Costs at or above ``big`` mark forbidden pairs (a finite penalty
        keeps the arithmetic free of ``inf - inf``).

    Returns
    -------
    tuple or None
        ``(assignment, cost)`` (columns of ``c``); ``None`` when no feasible
        assignment was found.
    """
    if float(d.sum()) > float(cap.sum()) + _TOL * max(float(d.sum()), 1.0):
        return None
    cc = np.where(c >= big, np.inf, c) if math.isfinite(big) else c
    a = _regret_greedy(cc, d, cap)
    if a is None:
        a = _first_fit_decreasing(cc, d, cap)
    if a is None and fallback is not None:
        a = fallback()
    if a is None:
        return None
    if improve:
        a = improve_assignment(c, d, cap, a, swaps=swaps)
    got = c[np.arange(c.shape[0]), a]
    if not np.all(got < big):
        return None
    return a, float(got.sum())


class SiteSearch:
    """Open-set local search for single-source capacitated problems.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(n, m)`` costs, ``inf`` on forbidden pairs.
    demand, capacity, fixed : numpy.ndarray
        ``(n,)``, ``(m,)``, ``(m,)``.
    forced : numpy.ndarray
        ``(m,)`` bool, sites that may not close.
    unassigned : numpy.ndarray, optional
        ``(n,)`` cost of leaving a group unserved (a virtual site of
        unlimited capacity, always "open", last column).
    """

    def __init__(self, cost: np.ndarray, demand: np.ndarray, capacity: np.ndarray,
                 fixed: np.ndarray, forced: np.ndarray, unassigned: np.ndarray | None) -> None:
        finite = np.isfinite(cost)
        self.big = 1.0 + 2.0 * (float(np.abs(np.where(finite, cost, 0.0)).max(axis=1).sum())
                                + float(np.abs(fixed).sum())
                                + (float(np.abs(unassigned).sum()) if unassigned is not None
                                   else 0.0))
        self.c = np.where(finite, cost, self.big)
        self.d = demand
        self.cap = capacity
        self.f = fixed
        self.forced = forced
        self.u = unassigned
        self.n, self.m = cost.shape

    def sub(self, sites: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cost and capacity of the open sites (+ virtual unserved column)."""
        c = self.c[:, sites]
        cap = self.cap[sites]
        if self.u is not None:
            c = np.column_stack([c, self.u])
            cap = np.append(cap, np.inf)
        return c, cap

    def value(self, sites: np.ndarray, c: np.ndarray, a: np.ndarray) -> float:
        return float(self.f[sites].sum() + c[np.arange(self.n), a].sum())

    def evaluate(self, sites: np.ndarray, fallback=None) -> tuple[np.ndarray, float] | None:
        """Full assignment heuristic for ``sites``: (assignment, value)."""
        c, cap = self.sub(sites)
        out = gap_assign(c, self.d, cap, fallback=fallback, big=self.big)
        if out is None:
            return None
        return out[0], out[1] + float(self.f[sites].sum())

    def try_swap(self, sites: np.ndarray, a: np.ndarray, pos: int, j: int
                 ) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Replace ``sites[pos]`` by ``j``; incremental reassignment."""
        new = sites.copy()
        new[pos] = j
        c, cap = self.sub(new)
        d = self.d
        load = np.bincount(a, weights=d, minlength=cap.size)
        b = a.copy()
        if load[pos] > cap[pos] + _TOL * max(load[pos], 1.0):
            mine = np.flatnonzero(a == pos)
            r = cap - load
            r[pos] = cap[pos]
            part = _regret_greedy(np.where(c[mine] >= self.big, np.inf, c[mine]), d[mine], r)
            if part is None:
                return None
            b[mine] = part
        b = improve_assignment(c, d, cap, b, max_moves=200, swaps=False)
        if not np.all(c[np.arange(self.n), b] < self.big):
            return None
        return new, b, self.value(new, c, b)

    def search(self, sites: np.ndarray, a: np.ndarray, val: float, stop: Callable[[], bool],
               rng: np.random.Generator, n_cand: int = 12, max_rounds: int = 10_000
               ) -> tuple[np.ndarray, np.ndarray, float, int]:
        """First-improvement search over swaps (cluster relocations and
        swaps ranked by their uncapacitated delta); returns the local optimum
        ``(sites, assignment, value, evaluated moves)``."""
        evals = 0
        sites = np.asarray(sites, dtype=np.intp).copy()
        for _ in range(max_rounds):
            if stop():
                break
            c, cap = self.sub(sites)
            cand = self._candidates(sites, a, c, n_cand, rng)
            improved = False
            for pos, j in cand:
                if stop():
                    break
                evals += 1
                out = self.try_swap(sites, a, pos, j)
                if out is not None and out[2] < val - 1e-9 * max(abs(val), 1.0):
                    sites, a, val = out
                    improved = True
                    break
            if not improved:
                # polish with swaps of groups too, then stop if still stuck
                c, cap = self.sub(sites)
                b = improve_assignment(c, self.d, cap, a, swaps=True)
                v = self.value(sites, c, b)
                if v < val - 1e-9 * max(abs(val), 1.0):
                    a, val = b, v
                    continue
                break
        return sites, a, val, evals

    def _candidates(self, sites: np.ndarray, a: np.ndarray, c: np.ndarray, n_cand: int,
                    rng: np.random.Generator) -> list[tuple[int, int]]:
        k = sites.size
        closed = np.ones(self.m, dtype=bool)
        closed[sites] = False
        closed_idx = np.flatnonzero(closed)
        movable = np.flatnonzero(~self.forced[sites])
        if closed_idx.size == 0 or movable.size == 0:
            return []
        cc = self.c
        d = self.d
        # 1. relocate a whole cluster to a closed site with room
        onehot = np.zeros((k + (self.u is not None), self.n))
        onehot[a, np.arange(self.n)] = 1.0
        onehot = onehot[:k]
        mc = onehot @ cc[:, closed_idx] + self.f[closed_idx][None, :]  # (k, closed)
        load = onehot @ d
        here = (onehot * c[:, :k].T).sum(axis=1) + self.f[sites]
        room = self.cap[closed_idx][None, :] >= load[:, None] - _TOL * max(load.max(), 1.0)
        reloc = np.where(room, mc - here[:, None], np.inf)[movable]
        # 2. uncapacitated swap delta with nearest / second nearest open
        cs = cc[:, sites]
        if k >= 2:
            two = np.partition(cs, 1, axis=1)
            d1, d2 = two[:, 0], two[:, 1]
        else:
            d1, d2 = cs[:, 0], np.full(self.n, self.big)
        if self.u is not None:
            d2 = np.minimum(d2, np.maximum(self.u, d1))
            d1 = np.minimum(d1, self.u)
        n1 = np.argmin(cs, axis=1)
        cj = cc[:, closed_idx]
        # closing position q: rows whose nearest is q lose (min(d2, c_ij) - d1)
        delta = np.empty((movable.size, closed_idx.size))
        for t, q in enumerate(movable):
            mine = n1 == q
            other = ~mine
            part = np.minimum(d2[mine, None], cj[mine]).sum(axis=0) - d1[mine].sum()
            part += np.minimum(cj[other] - d1[other, None], 0.0).sum(axis=0)
            delta[t] = part + self.f[closed_idx] - self.f[sites[q]]
        out: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        for mat in (reloc, delta):
            flat = mat.ravel()
            kk = min(n_cand, flat.size)
            top = np.argpartition(flat, kk - 1)[:kk]
            top = top[np.argsort(flat[top])]
            for f in top:
                if not np.isfinite(flat[f]):
                    continue
                t, jj = divmod(int(f), closed_idx.size)
                pair = (int(movable[t]), int(closed_idx[jj]))
                if pair not in seen:
                    seen.add(pair)
                    out.append(pair)
        # interleave: relocations are listed first, uncapacitated swaps next
        return out


def lp_round_assign(c: np.ndarray, d: np.ndarray, cap: np.ndarray, big: float = math.inf
                    ) -> tuple[np.ndarray, float] | None:
    """Single-source assignment by rounding the transportation LP.

    A basic LP solution splits at most ``k`` groups; the others keep their
    LP site, the split ones are placed by the regret greedy on the remaining
    capacity, then shift / swap local search. Slower than :func:`gap_assign`
    (one LP) but usually within a fraction of a percent of the optimum.

    Parameters
    ----------
    c, d, cap, big : see :func:`gap_assign`.

    Returns
    -------
    tuple or None
        ``(assignment, cost)``.
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog

    from .quiet import quiet_fds

    n, k = c.shape
    ok = c < big
    pr, pk = np.nonzero(ok)
    a_eq = sp.csr_array((np.ones(pr.size), (pr, np.arange(pr.size))), shape=(n, pr.size))
    fin = np.isfinite(cap)
    rows = np.flatnonzero(fin[pk])
    kk = np.cumsum(fin) - 1
    a_ub = sp.csr_array((d[pr[rows]], (kk[pk[rows]], rows)), shape=(int(fin.sum()), pr.size))
    with quiet_fds():
        res = linprog(c[pr, pk], A_ub=a_ub, b_ub=cap[fin], A_eq=a_eq, b_eq=np.ones(n),
                      bounds=(0, 1), method="highs")
    if res.status != 0:
        return None
    x = res.x
    a = np.full(n, -1, dtype=np.intp)
    whole = x > 1 - 1e-7
    a[pr[whole]] = pk[whole]
    left = np.flatnonzero(a < 0)
    if left.size:
        r = cap - np.bincount(a[a >= 0], weights=d[a >= 0], minlength=k)
        cc = np.where(ok[left], c[left], np.inf)
        part = _regret_greedy(cc, d[left], r)
        if part is None:
            return None
        a[left] = part
    a = improve_assignment(c, d, cap, a, swaps=True)
    got = c[np.arange(n), a]
    if not np.all(got < big):
        return None
    return a, float(got.sum())
