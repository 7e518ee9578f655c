"""Lagrangian branch and bound for capacitated problems with split demand.

For capacitated problems whose demand may be split, the strong formulation
(``x_ij <= y_j`` for every pair) has an LP that HiGHS needs about a minute
to solve on 100 x 1000 instances (OR-Library capa/capb/capc), so HiGHS
alone proved 2 of those 12 in 60 s. This module proves all 12 in seconds:

1. *Lagrangian bound.* The assignment rows ``sum_j x_ij + u_i = 1`` are
   relaxed with multipliers ``lambda_i``. For fixed ``lambda`` every site
   solves a continuous knapsack (fill its capacity with the rows of most
   negative ``c_ij - lambda_i`` per unit of demand), and the sites to open
   solve a 0-1 covering knapsack: open capacity must cover the demand that
   cannot be left unserved. Solved exactly (branch and bound with an LP
   and a cardinality bound), that knapsack makes the bound at least the
   strong LP bound plus the cut ``sum_j y_j >= k_min``, which on capa is
   worth 2 % of the optimum (Beasley 1988). A subgradient ascent gets
   close to it in a few thousand cheap passes over the cost matrix.
2. *Penalty tests.* A site whose opening alone lifts the bound above the
   best known value is closed; one whose closing does is forced open
   (exact: any solution violating the fixing costs more).
3. *Lagrangian heuristic.* The open sets met during the ascent, and a
   small local search around the best, are priced by a transportation LP.
4. *Tree* (:func:`solve_split`). Depth-first branching on sites; every
   node warm-starts the ascent from its parent, prices its relaxed open
   set and repeats the penalty tests.

:func:`reduce_split` (steps 1-3) also builds a reduced strong model for
HiGHS (``formulation="strong-reduced"``): only the sites not closed, and
*lazy linking rows*. The capacity rows ``sum_i d_i x_ij <= s_j y_j``
already force ``x_ij = 0`` when ``y_j = 0`` for ``d_i > 0``, so linking
rows only strengthen the LP; it keeps those with ``c_ij - lambda_i < 0``
(the pairs the relaxation wants), all of zero-demand rows, and the
cardinality cut.

References
----------
J.E. Beasley, "An algorithm for solving large capacitated warehouse
location problems", European Journal of Operational Research 33 (1988)
314-325.
M.L. Fisher, "The Lagrangian relaxation method for solving integer
programming problems", Management Science 27 (1981) 1-18.

May import the rest of :mod:`footprint.locate` only (numpy, scipy, numba, HiGHS).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import highspy
import numba
import numpy as np
import scipy.sparse as sp

from ..evaluate import evaluate
from ..heuristic.local_search import solve_heuristic
from ..heuristic.single_source import SiteSearch, round_split, sites_of
from ..problem import LocationProblem
from ..result import LocationResult, relative_gap
from ..silence_native_output import quiet_fds
from .reductions import Reduced, aggregate_rows

__all__ = [
    "MIN_PAIRS",
    "SplitReduction",
    "applies",
    "card_knapsack",
    "quick_start",
    "cover_knapsack",
    "lagrangian_split_bound",
    "reduce_split",
    "reduced_strong_model",
    "solve_single_source",
    "solve_split",
    "transport",
]

ProgressFn = Callable[[float, str], "bool | None"]

#: Smallest number of (row, site) pairs for which ``auto`` uses this path:
#: below it HiGHS solves the full strong model in well under a second
#: (OR-Library cap41-cap134, 50 x 50) [pairs].
MIN_PAIRS = 20_000
#: Subgradient passes per call of the compiled ascent (between two looks at
#: the clock and two primal evaluations).
CHUNK = 25
#: Longest a chunk of passes may take, so the clock is read often enough
#: on large problems (a pass over 7.6 million pairs takes 0.1-0.5 s) [s].
CHUNK_SECONDS = 0.25
#: Passes without improvement of the bound before the step is halved.
PATIENCE = 30
#: Initial step factor of the Polyak step.
THETA0 = 2.0
#: The ascent stops when the step factor falls below this.
THETA_MIN = 1e-4
#: Most subgradient passes at the root (before any site is fixed).
MAX_PASSES = 4000
#: Node limit of the covering-knapsack branch and bound; beyond it its
#: relaxation bound (still valid) is used.
KNAPSACK_NODES = 20_000
#: Up to this many free items the covering knapsack tabulates its
#: cardinality bound per suffix (``O(items^2)`` per call), beyond it once.
KNAPSACK_TABLE_ITEMS = 256
#: Relative margin of the penalty tests (floating-point safety) [fraction].
FIX_TOL = 1e-9


# ------------------------------------------------------------------ kernels
@numba.njit(cache=True)
def _knapsack_bound(gs, ss, capcum, gcum, k, c, r, cnt, tol):  # pragma: no cover - compiled
    """Lower bound on covering ``r`` with items ``k..cnt-1`` (``inf`` if impossible).

    Maximum of the LP bound (items sorted by ``g / s``) and the cardinality
    bound (at least ``q`` items are needed, which cost at least the ``q``
    cheapest). With a single table row (many items) the cardinality bound
    uses all items, a superset of ``k..``: weaker but still valid.
    """
    t = k if capcum.shape[0] > 1 else 0
    if capcum[t, cnt - k] < r - tol:
        return np.inf
    q = 1
    while capcum[t, q] < r - tol:
        q += 1
    card = c + gcum[t, q]
    lp = c
    rr = r
    for t in range(k, cnt):
        if ss[t] >= rr:
            lp += gs[t] * rr / ss[t]
            break
        lp += gs[t]
        rr -= ss[t]
    return max(lp, card)


@numba.njit(cache=True)
def _cover_knapsack(g, s, need, state, node_limit):  # pragma: no cover - compiled
    """``min sum g_j y_j`` s.t. ``sum s_j y_j >= need``, ``y`` binary.

    ``state`` 1 = forced open, -1 = closed, 0 = free. Returns ``(value, y,
    exact)``; ``exact`` is False when the node limit stopped the search
    (``value`` is then the relaxation bound and ``y`` the best cover found).
    ``value`` is ``inf`` when no cover exists.
    """
    m = g.size
    y = np.zeros(m, dtype=np.bool_)
    base = 0.0
    for j in range(m):
        if state[j] == 1 or (state[j] == 0 and g[j] <= 0.0):
            y[j] = True
            base += g[j]
            need -= s[j]
    if need <= 0.0:
        return base, y, True
    cnt = 0
    for j in range(m):
        if state[j] == 0 and not y[j] and s[j] > 0.0:
            cnt += 1
    idx = np.empty(cnt, dtype=np.int64)
    ratio = np.empty(cnt)
    q = 0
    for j in range(m):
        if state[j] == 0 and not y[j] and s[j] > 0.0:
            idx[q] = j
            ratio[q] = g[j] / s[j]
            q += 1
    idx = idx[np.argsort(ratio)]
    gs = g[idx]
    ss = s[idx]
    # suffix tables: sum of the q largest capacities / q smallest costs of
    # t.. (one row, for all items, when there are many: memory and time)
    rows = cnt + 1 if cnt <= KNAPSACK_TABLE_ITEMS else 1
    capcum = np.zeros((rows, cnt + 1))
    gcum = np.zeros((rows, cnt + 1))
    for t in range(min(rows, cnt)):
        cs = np.sort(ss[t:])[::-1]
        gg = np.sort(gs[t:])
        for k in range(cnt - t):
            capcum[t, k + 1] = capcum[t, k] + cs[k]
            gcum[t, k + 1] = gcum[t, k] + gg[k]
    tol = 1e-12 * need
    if cnt == 0 or capcum[0, cnt] < need - tol:
        return np.inf, y, True
    root = _knapsack_bound(gs, ss, capcum, gcum, 0, 0.0, need, cnt, tol)
    best = np.inf
    besttake = np.zeros(cnt, dtype=np.bool_)
    take = np.zeros(cnt, dtype=np.bool_)
    # depth-first: entry (k, d) = set item k to d; the state before item k
    # is (cost_at[k], rem_at[k]), shared by both children of the parent
    stack_k = np.empty(2 * cnt + 2, dtype=np.int64)
    stack_d = np.empty(2 * cnt + 2, dtype=np.int64)
    cost_at = np.zeros(cnt + 1)
    rem_at = np.zeros(cnt + 1)
    rem_at[0] = need
    stack_k[0], stack_d[0], stack_k[1], stack_d[1] = 0, 0, 0, 1
    sp_ = 2
    nodes = 0
    exact = True
    while sp_ > 0:
        sp_ -= 1
        k = stack_k[sp_]
        d = stack_d[sp_]
        nodes += 1
        if nodes > node_limit and best < np.inf:
            exact = False
            break
        c = cost_at[k]
        r = rem_at[k]
        take[k] = d == 1
        if d == 1:
            c += gs[k]
            r -= ss[k]
        if r <= tol:
            if c < best:
                best = c
                for t in range(cnt):
                    besttake[t] = take[t] if t <= k else False
            continue
        if k + 1 >= cnt:
            continue
        lb = _knapsack_bound(gs, ss, capcum, gcum, k + 1, c, r, cnt, tol)
        if lb >= best - 1e-12 * abs(best):
            continue
        cost_at[k + 1] = c
        rem_at[k + 1] = r
        stack_k[sp_], stack_d[sp_] = k + 1, 0
        stack_k[sp_ + 1], stack_d[sp_ + 1] = k + 1, 1
        sp_ += 2
    for t in range(cnt):
        if besttake[t]:
            y[idx[t]] = True
    if not exact:
        return base + root, y, False
    return base + best, y, True


@numba.njit(cache=True)
def _card_pick(g, s, free, q, mu, pick):  # pragma: no cover - compiled
    """The ``q`` free items of smallest ``g - mu s``; returns ``(sum g - mu s, sum s)``."""
    w = np.empty(free.size)
    for t in range(free.size):
        w[t] = g[free[t]] - mu * s[free[t]]
    order = np.argsort(w)
    val = 0.0
    cov = 0.0
    for t in range(free.size):
        pick[t] = False
    for t in range(q):
        pick[order[t]] = True
        val += w[order[t]]
        cov += s[free[order[t]]]
    return val, cov


@numba.njit(cache=True)
def _card_knapsack(g, s, need, p, state):  # pragma: no cover - compiled
    """``min sum g_j y_j`` s.t. ``sum y_j = p``, ``sum s_j y_j >= need``, ``y`` binary.

    ``state`` 1 = forced in, -1 = excluded, 0 = free. When the ``p``
    cheapest items cover ``need`` they are optimal (``exact``). Otherwise
    the value is the Lagrangian dual of the cover row, ``max_mu >= 0 of
    mu * need + min_{|y| = p} sum (g_j - mu s_j) y_j``, found by bisection
    on ``mu`` (a valid lower bound, ``exact`` False), and ``y`` the set at
    the smallest ``mu`` found whose items cover ``need``. Returns
    ``(value, y, exact)``; ``value`` is ``inf`` when no ``p`` items cover.
    """
    m = g.size
    y = np.zeros(m, dtype=np.bool_)
    base = 0.0
    rem = need
    k = 0
    nf = 0
    for j in range(m):
        if state[j] == 1:
            y[j] = True
            base += g[j]
            rem -= s[j]
            k += 1
        elif state[j] == 0:
            nf += 1
    q = p - k
    tol = 1e-12 * max(abs(need), 1.0)
    if q < 0 or nf < q:
        return np.inf, y, True
    free = np.empty(nf, dtype=np.int64)
    t = 0
    for j in range(m):
        if state[j] == 0:
            free[t] = j
            t += 1
    top = np.sort(s[free])[::-1]
    if top[:q].sum() < rem - tol:
        return np.inf, y, True
    pick = np.zeros(nf, dtype=np.bool_)
    val, cov = _card_pick(g, s, free, q, 0.0, pick)
    if cov >= rem - tol:
        for t in range(nf):
            if pick[t]:
                y[free[t]] = True
        return base + val, y, True
    best = base + val
    lo = 0.0
    hi = 1.0
    for _ in range(200):  # grow hi until its pick covers
        val, cov = _card_pick(g, s, free, q, hi, pick)
        best = max(best, base + val + hi * rem)
        if cov >= rem - tol:
            break
        lo = hi
        hi *= 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        val, cov = _card_pick(g, s, free, q, mid, pick)
        best = max(best, base + val + mid * rem)
        if cov >= rem - tol:
            hi = mid
        else:
            lo = mid
    _card_pick(g, s, free, q, hi, pick)
    for t in range(nf):
        if pick[t]:
            y[free[t]] = True
    return best, y, False


@numba.njit(cache=True)
def _knapsack(g, s, need, p, state, node_limit):  # pragma: no cover - compiled
    """The sites' subproblem: :func:`_card_knapsack` when ``p >= 0``, else covering."""
    if p >= 0:
        return _card_knapsack(g, s, need, p, state)
    return _cover_knapsack(g, s, need, state, node_limit)


@numba.njit(cache=True)
def _take(t, frac, w, idx, g, sub):  # pragma: no cover - compiled
    """Value of taking share ``frac`` of candidate ``t``; books it in the subgradient."""
    if sub:
        g[idx[t]] -= frac
    return w[t] * frac


@numba.njit(cache=True)
def _site_knapsack(ct, d, lam, s, j, w, idx, ratio, g):  # pragma: no cover - compiled
    """``min sum_i (c_ij - lam_i) x_ij`` over ``sum_i d_i x_ij <= s_j``, ``0 <= x <= 1``.

    A continuous knapsack: zero-demand rows first, then by cost per unit of
    demand up to the capacity. The cut-off is found by a weighted
    quickselect on the ratios (expected ``O(r)``, no sort). ``w``, ``idx``,
    ``ratio`` are ``(r,)`` work buffers. When ``g`` has size ``r`` the
    optimal ``x_j`` is subtracted from it (the subgradient), so no ``(m, r)``
    array of ``x`` is ever stored.
    """
    r = ct.shape[1]
    sub = g.size == r
    cnt = 0
    load = 0.0
    val = 0.0
    for i in range(r):
        wi = ct[j, i] - lam[i]
        if wi < 0.0:
            if d[i] <= 0.0:
                val += wi
                if sub:
                    g[i] -= 1.0
            else:
                idx[cnt] = i
                w[cnt] = wi
                cnt += 1
                load += d[i]
    if load <= s[j]:
        for t in range(cnt):
            val += _take(t, 1.0, w, idx, g, sub)
        return val
    for t in range(cnt):
        ratio[t] = w[t] / d[idx[t]]
    # candidates lo..hi-1 are undecided; those before lo are taken whole
    left = s[j]
    lo, hi = 0, cnt
    while lo < hi:
        a, b, c = ratio[lo], ratio[(lo + hi) // 2], ratio[hi - 1]
        pivot = max(min(a, b), min(max(a, b), c))  # median of three
        # three-way partition: [lo, lt) below the pivot, [lt, gt) equal, [gt, hi) above
        lt, q, gt = lo, lo, hi
        while q < gt:
            if ratio[q] < pivot:
                _swap(ratio, w, idx, q, lt)
                lt += 1
                q += 1
            elif ratio[q] > pivot:
                gt -= 1
                _swap(ratio, w, idx, q, gt)
            else:
                q += 1
        below = 0.0
        for t in range(lo, lt):
            below += d[idx[t]]
        if below > left:  # the cut-off lies among the cheaper ones
            hi = lt
            continue
        for t in range(lo, lt):
            val += _take(t, 1.0, w, idx, g, sub)
        left -= below
        for t in range(lt, gt):
            dt = d[idx[t]]
            if dt <= left:
                val += _take(t, 1.0, w, idx, g, sub)
                left -= dt
            else:
                return val + _take(t, left / dt, w, idx, g, sub)
        lo = gt
    return val


@numba.njit(cache=True)
def _swap(ratio, w, idx, a, b):  # pragma: no cover - compiled
    ratio[a], ratio[b] = ratio[b], ratio[a]
    w[a], w[b] = w[b], w[a]
    idx[a], idx[b] = idx[b], idx[a]


@numba.njit(cache=True)
def _site_values(ct, d, lam, s, f, state, v):  # pragma: no cover - compiled
    """Per-site Lagrangian values ``v_j = f_j + min sum_i (c_ij - lam_i) x_ij``.

    Over ``sum_i d_i x_ij <= s_j``, ``0 <= x_ij <= 1`` (:func:`_site_knapsack`).
    ``ct`` is ``(m, r)`` with ``inf`` on forbidden pairs; fills ``v``.
    Closed sites (``state == -1``) are skipped: ``v_j = inf``.
    """
    m, r = ct.shape
    w = np.empty(r)
    idx = np.empty(r, dtype=np.int64)
    ratio = np.empty(r)
    none = np.empty(0)
    for j in range(m):
        if state[j] == -1:
            v[j] = np.inf
            continue
        v[j] = f[j] + _site_knapsack(ct, d, lam, s, j, w, idx, ratio, none)


@numba.njit(cache=True)
def _lagrangian(ct, d, s, f, unas, need, p, state, lam, v, node_limit):  # pragma: no cover
    """``L(lam)`` [cost units]; fills ``v``, returns ``(L, y)`` (``p < 0``: free)."""
    _site_values(ct, d, lam, s, f, state, v)
    total = 0.0
    for i in range(lam.size):
        total += lam[i]
        if unas[i] < lam[i]:
            total += unas[i] - lam[i]
    kv, y, _ = _knapsack(v, s, need, p, state, node_limit)
    return total + kv, y


@numba.njit(cache=True)
def _ascent(ct, d, s, f, unas, need, p, state, lam, best_lam, best, target, prune_at, theta,
            noimp, patience, theta_min, n_pass, node_limit, ysum):  # pragma: no cover
    """Up to ``n_pass`` subgradient passes (Polyak steps towards ``target``).

    Updates ``lam`` and ``best_lam`` in place and adds every pass's open
    set to ``ysum``. Returns ``(best, theta, noimp, passes, done, y)``:
    ``done`` when the bound reached ``prune_at``, the step vanished or the
    subgradient is zero (the relaxed solution is then feasible, hence
    optimal under the fixings); ``y`` is the last subproblem's open set.
    """
    m, r = ct.shape
    v = np.empty(m)
    g = np.empty(r)
    w = np.empty(r)
    idx = np.empty(r, dtype=np.int64)
    ratio = np.empty(r)
    y = np.zeros(m, dtype=np.bool_)
    it = 0
    while it < n_pass:
        it += 1
        val, y = _lagrangian(ct, d, s, f, unas, need, p, state, lam, v, node_limit)
        if val == np.inf:
            return np.inf, theta, noimp, it, True, y
        for j in range(m):
            if y[j]:
                ysum[j] += 1.0
        if val > best + 1e-12 * abs(val):
            best = val
            best_lam[:] = lam
            noimp = 0
        else:
            noimp += 1
            if noimp >= patience:
                theta *= 0.5
                noimp = 0
        if best >= prune_at or theta < theta_min:
            return best, theta, noimp, it, True, y
        for i in range(r):
            g[i] = 0.0 if unas[i] < lam[i] else 1.0
        for j in range(m):
            if y[j]:
                _site_knapsack(ct, d, lam, s, j, w, idx, ratio, g)
        gg = 0.0
        for i in range(r):
            gg += g[i] * g[i]
        if gg < 1e-18:
            return best, theta, noimp, it, True, y
        step = theta * (target - val) / gg
        for i in range(r):
            lam[i] += step * g[i]
    return best, theta, noimp, it, False, y


# ------------------------------------------------------------------- python
def cover_knapsack(g: np.ndarray, s: np.ndarray, need: float,
                   state: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Exact 0-1 covering knapsack ``min g.y`` s.t. ``s.y >= need``.

    Parameters
    ----------
    g : numpy.ndarray
        ``(m,)`` item costs [cost units] (any sign).
    s : numpy.ndarray
        ``(m,)`` item sizes (capacities) [demand units], non-negative.
    need : float
        Size to cover [demand units].
    state : numpy.ndarray, optional
        ``(m,)`` int: 1 forced in, -1 excluded, 0 free.

    Returns
    -------
    value : float
        Optimal value [cost units]; ``inf`` when no cover exists.
    y : numpy.ndarray
        ``(m,)`` bool optimal items.
    """
    g = np.ascontiguousarray(g, dtype=float)
    s = np.ascontiguousarray(s, dtype=float)
    st = np.zeros(g.size, dtype=np.int64) if state is None else np.asarray(state, np.int64)
    val, y, _ = _cover_knapsack(g, s, float(need), st, 10**9)
    return float(val), y


def card_knapsack(g: np.ndarray, s: np.ndarray, need: float, p: int,
                  state: np.ndarray | None = None) -> tuple[float, np.ndarray, bool]:
    """0-1 knapsack with a count: ``min g.y`` s.t. ``sum y = p``, ``s.y >= need``.

    Parameters
    ----------
    g : numpy.ndarray
        ``(m,)`` item costs [cost units] (any sign).
    s : numpy.ndarray
        ``(m,)`` item sizes (capacities) [demand units], non-negative.
    need : float
        Size to cover [demand units].
    p : int
        Number of items to take.
    state : numpy.ndarray, optional
        ``(m,)`` int: 1 forced in, -1 excluded, 0 free.

    Returns
    -------
    value : float
        Optimal value when ``exact``, else a lower bound (the Lagrangian
        dual of the cover row) [cost units]; ``inf`` when no ``p`` items cover.
    y : numpy.ndarray
        ``(m,)`` bool: ``p`` items that cover ``need`` (optimal when ``exact``).
    exact : bool
        True when the ``p`` cheapest items cover ``need``.
    """
    g = np.ascontiguousarray(g, dtype=float)
    s = np.ascontiguousarray(s, dtype=float)
    st = np.zeros(g.size, dtype=np.int64) if state is None else np.asarray(state, np.int64)
    val, y, exact = _card_knapsack(g, s, float(need), int(p), st)
    return float(val), y, bool(exact)


def applies(problem: LocationProblem) -> bool:
    """True when :func:`solve_split` and :func:`reduce_split` handle the problem.

    Capacitated with split demand; a fixed number of sites ``n_sites`` adds
    a count to the knapsack over the sites (:func:`card_knapsack`).
    """
    return problem.capacitated and not problem.single_source


@dataclass
class _Data:
    """Arrays of the merged problem in the layout the kernels use."""

    ct: np.ndarray      # (m, r) costs per site [cost units], inf = forbidden
    d: np.ndarray       # (r,) merged demand [demand units]
    s: np.ndarray       # (m,) capacity [demand units]
    f: np.ndarray       # (m,) fixed cost [cost units]
    unas: np.ndarray    # (r,) unassigned cost [cost units], inf = must serve
    need: float         # demand that must be served [demand units]
    state: np.ndarray   # (m,) int64: 1 open, -1 closed, 0 free
    p: int = -1         # number of sites to open, -1 = free


def _data(problem: LocationProblem, red: Reduced) -> _Data:
    d = np.ascontiguousarray(red.demand, dtype=float)
    unas = np.ascontiguousarray(red.unassigned, dtype=float)
    need = float(d[~np.isfinite(unas)].sum())
    state = problem.forced_or_none().astype(np.int64)
    return _Data(np.ascontiguousarray(red.cost.T), d,
                 np.ascontiguousarray(problem.capacity, dtype=float),
                 np.ascontiguousarray(problem.fixed_or_zeros(), dtype=float),
                 unas, need, state, -1 if problem.n_sites is None else int(problem.n_sites))


def _initial_multipliers(data: _Data) -> np.ndarray:
    """Second-cheapest allowed cost of every row (capped by its unassigned cost)."""
    ct = data.ct
    two = np.partition(ct, 1, axis=0)[:2] if ct.shape[0] >= 2 else ct[:1]
    lam = np.where(np.isfinite(two[-1]), two[-1], two[0])
    lam = np.minimum(lam, data.unas)
    lam[~np.isfinite(lam)] = 0.0
    return np.ascontiguousarray(lam, dtype=float)


def lagrangian_split_bound(problem: LocationProblem, red: Reduced, target: float, *,
                           max_passes: int = MAX_PASSES,
                           lam: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Lagrangian lower bound of a split-demand capacitated problem.

    Parameters
    ----------
    problem : LocationProblem
        Problem with capacities and split demand, no ``n_sites``.
    red : Reduced
        Its merged rows.
    target : float
        Upper bound used by the Polyak step (e.g. a known solution's value)
        [cost units].
    max_passes : int
        Most subgradient passes.
    lam : numpy.ndarray, optional
        ``(r,)`` starting multipliers [cost units].

    Returns
    -------
    bound : float
        Valid lower bound on the optimum [cost units] (``inf`` when no
        opening of sites covers the demand).
    lam : numpy.ndarray
        ``(r,)`` multipliers that give it [cost units].
    """
    data = _data(problem, red)
    lam = _initial_multipliers(data) if lam is None else np.array(lam, dtype=float)
    best_lam = lam.copy()
    best, *_ = _ascent(data.ct, data.d, data.s, data.f, data.unas, data.need, data.p,
                       data.state,
                       lam, best_lam, -np.inf, float(target), float(target), THETA0, 0,
                       PATIENCE, THETA_MIN, int(max_passes), KNAPSACK_NODES,
                       np.zeros(data.s.size))
    return float(best), best_lam


#: The transportation LP starts from each row's this many cheapest open sites
#: and adds the others by pricing (column generation) [sites].
TRANSPORT_NEAR = 8
#: Most pricing rounds of the transportation LP; after them its (feasible)
#: plan is kept even if not proven cheapest.
TRANSPORT_ROUNDS = 12
#: Columns added per row and pricing round (the most negative reduced costs).
TRANSPORT_ADD = 3


def _transport_lp(sub: np.ndarray, demand: np.ndarray, cap: np.ndarray,
                  unassigned: np.ndarray, near: int, deadline: float = math.inf
                  ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray] | None:
    """Transportation LP on ``sub`` (``(r, k)``, ``inf`` = forbidden) by column generation.

    Starts from every row's ``near`` cheapest allowed columns (all when
    ``near >= k``), then adds, per row, the :data:`TRANSPORT_ADD` columns of
    most negative reduced cost ``c_ij - u_i - d_i w_j`` until none is
    negative (the LP optimum over all pairs) or :data:`TRANSPORT_ROUNDS`
    rounds. When the restricted LP is infeasible, ``near`` doubles (up to
    every column: then infeasibility is proven). Memory ``O(r k)``. Returns
    ``(value, rows, cols, x)`` with ``x > 0`` only, or ``None`` when
    infeasible or when HiGHS did not finish before ``deadline``
    [perf_counter s].
    """
    r, k = sub.shape
    finite = np.isfinite(sub)
    u_rows = np.flatnonzero(np.isfinite(unassigned))
    n_u = u_rows.size
    while True:
        if near >= k:
            pr, pk = np.nonzero(finite)
        else:
            part = np.argpartition(np.where(finite, sub, np.inf), near - 1, axis=1)[:, :near]
            pr = np.repeat(np.arange(r), near)
            pk = part.ravel()
            ok = finite[pr, pk]
            pr, pk = pr[ok], pk[ok]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("threads", 1)
        h.addRows(r + k, np.concatenate([np.ones(r), np.full(k, -np.inf)]),
                  np.concatenate([np.ones(r), cap]), 0, np.zeros(0, np.int32),
                  np.zeros(0, np.int32), np.zeros(0))
        if n_u:
            h.addCols(n_u, np.ascontiguousarray(unassigned[u_rows]), np.zeros(n_u),
                      np.ones(n_u), n_u, np.arange(n_u, dtype=np.int32),
                      u_rows.astype(np.int32), np.ones(n_u))
        in_model = np.zeros((r, k), dtype=bool) if near < k else None

        def add(rows: np.ndarray, cols: np.ndarray, h=h, in_model=in_model) -> None:
            n_x = rows.size
            idx = np.empty(2 * n_x, dtype=np.int32)
            idx[0::2] = rows
            idx[1::2] = r + cols
            val = np.empty(2 * n_x)
            val[0::2] = 1.0
            val[1::2] = demand[rows]
            h.addCols(n_x, np.ascontiguousarray(sub[rows, cols]), np.zeros(n_x), np.ones(n_x),
                      2 * n_x, np.arange(0, 2 * n_x, 2, dtype=np.int32), idx, val)
            if in_model is not None:
                in_model[rows, cols] = True

        add(pr, pk)
        all_r, all_k = [pr], [pk]
        status = None
        for _ in range(TRANSPORT_ROUNDS):
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            if math.isfinite(left):
                h.setOptionValue("time_limit", float(left))
            with quiet_fds():
                h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal or in_model is None:
                break
            dual = np.asarray(h.getSolution().row_dual)
            rc = sub - dual[:r, None] - demand[:, None] * dual[None, r:]
            rc[~finite | in_model] = np.inf
            tol = -1e-9 * (1.0 + np.abs(dual[:r]))
            take = min(TRANSPORT_ADD, k)
            best = np.argpartition(rc, take - 1, axis=1)[:, :take]
            nr = np.repeat(np.arange(r), take)
            nk = best.ravel()
            neg = rc[nr, nk] < tol[nr]
            if not neg.any():
                break
            nr, nk = nr[neg], nk[neg]
            add(nr, nk)
            all_r.append(nr)
            all_k.append(nk)
        if status == highspy.HighsModelStatus.kInfeasible and near < k:
            near *= 2  # the cheapest columns alone cannot serve everyone
            continue
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        break
    pr = np.concatenate(all_r)
    pk = np.concatenate(all_k)
    xv = np.asarray(h.getSolution().col_value)[n_u:n_u + pr.size]
    keep = xv > 1e-12
    value = float(h.getInfo().objective_function_value)
    return value, pr[keep], pk[keep], np.minimum(xv[keep], 1.0)


def transport(problem: LocationProblem, red: Reduced, open_sites: np.ndarray,
              deadline: float = math.inf) -> tuple[float, sp.csr_array | None]:
    """Cheapest split allocation to a fixed set of open sites (an LP).

    Solved by column generation from each row's :data:`TRANSPORT_NEAR`
    cheapest open sites (:func:`_transport_lp`): memory ``O(r k)`` for
    ``k`` open sites, and a few thousand columns in the LP instead of
    ``r k``.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated problem.
    red : Reduced
        Its merged rows.
    open_sites : numpy.ndarray
        Indices of the open sites.
    deadline : float
        :func:`time.perf_counter` value after which the LP gives up
        (value ``inf``).

    Returns
    -------
    value : float
        Fixed costs + allocation + unassigned costs [cost units]; ``inf``
        when the open capacity cannot serve the demand (or past ``deadline``).
    x : scipy.sparse.csr_array or None
        ``(r, m)`` served fractions of the merged rows.
    """
    open_sites = np.unique(np.asarray(open_sites, dtype=np.intp))
    r, m = red.cost.shape
    cap = np.asarray(problem.capacity, dtype=float)[open_sites]
    out = _transport_lp(red.cost[:, open_sites], np.asarray(red.demand, dtype=float), cap,
                        np.asarray(red.unassigned, dtype=float), TRANSPORT_NEAR, deadline)
    if out is None:
        return math.inf, None
    value, pr, pk, xv = out
    x = sp.csr_array((xv, (pr, open_sites[pk])), shape=(r, m))
    return value + float(problem.fixed_or_zeros()[open_sites].sum()), x


def _result(problem: LocationProblem, red: Reduced, open_sites: np.ndarray,
            x: sp.csr_array, method: str) -> LocationResult:
    """A feasible :class:`LocationResult` from merged-row fractions."""
    full = sp.csr_array(x[red.members])
    full.data[full.data < 1e-9] = 0.0
    full.eliminate_zeros()
    served = np.asarray(full.sum(axis=1)).ravel()
    arg = np.asarray(full.argmax(axis=1)).ravel()
    assignment = np.where(served > 1e-9, arg, -1).astype(np.intp)
    open_sites = np.unique(np.asarray(open_sites, dtype=np.intp))
    obj = evaluate(problem, open_sites, assignment, full)
    return LocationResult(open_sites=open_sites, assignment=assignment, allocation=full,
                          objective=obj, bound=math.nan, gap=math.nan, status="feasible",
                          method=method, seconds=0.0)


def reduced_strong_model(problem: LocationProblem, red: Reduced, lam: np.ndarray,
                         closed: np.ndarray, forced: np.ndarray) -> dict:
    """Strong formulation restricted to the open-able sites, lazy linking rows.

    Columns as :func:`~footprint.locate.exact.highs_models.strong_model`: ``y`` (all
    ``m``; closed sites have upper bound 0, forced ones lower bound 1),
    ``x`` on the allowed pairs of the sites not closed, ``u``. Rows:
    assignment, linking rows ``x_ij <= y_j`` only where ``c_ij - lam_i < 0``
    or ``d_i = 0``, capacity rows, the cover row ``sum_j s_j y_j >= need``
    and the cardinality cut ``sum_j y_j >= k_min`` (fewest sites whose
    capacity covers ``need``).

    Parameters
    ----------
    problem : LocationProblem
        Capacitated, split demand.
    red : Reduced
        Its merged rows.
    lam : numpy.ndarray
        ``(r,)`` Lagrangian multipliers [cost units].
    closed, forced : numpy.ndarray
        ``(m,)`` bool site fixings.

    Returns
    -------
    dict
        Arrays for :func:`~footprint.locate.exact.highs_runner.run_mip` plus
        ``pairs`` and ``u_rows``. Every feasible solution of the problem
        that respects the fixings is feasible here at the same cost.
    """
    r, m = red.cost.shape
    keep = np.isfinite(red.cost) & ~closed[None, :]
    pr, ps = np.nonzero(keep)
    n_x = pr.size
    u_rows = np.flatnonzero(np.isfinite(red.unassigned))
    n_u = u_rows.size
    n_col = m + n_x + n_u
    cap = np.asarray(problem.capacity, dtype=float)
    c = np.concatenate([problem.fixed_or_zeros(), red.cost[pr, ps], red.unassigned[u_rows]])
    lower = np.concatenate([forced.astype(float), np.zeros(n_x + n_u)])
    upper = np.concatenate([(~closed).astype(float), np.ones(n_x + n_u)])
    integer = np.zeros(n_col, dtype=bool)
    integer[:m] = True
    x_idx = m + np.arange(n_x)
    br = [pr, u_rows]
    bc = [x_idx, m + n_x + np.arange(n_u)]
    bv = [np.ones(n_x), np.ones(n_u)]
    rlo = [np.ones(r)]
    rhi = [np.ones(r)]
    row0 = r
    # linking rows where the relaxation wants the pair (or d = 0)
    lk = np.flatnonzero((red.cost[pr, ps] - lam[pr] < 0.0) | (red.demand[pr] <= 0.0))
    rows = row0 + np.arange(lk.size)
    br += [rows, rows]
    bc += [x_idx[lk], ps[lk]]
    bv += [np.ones(lk.size), -np.ones(lk.size)]
    rlo.append(np.full(lk.size, -np.inf))
    rhi.append(np.zeros(lk.size))
    row0 += lk.size
    # capacity rows: sum_i d_i x_ij - s_j y_j <= 0
    br += [row0 + ps, row0 + np.arange(m)]
    bc += [x_idx, np.arange(m)]
    bv += [red.demand[pr], -cap]
    rlo.append(np.full(m, -np.inf))
    rhi.append(np.zeros(m))
    row0 += m
    need = float(red.demand[~np.isfinite(red.unassigned)].sum())
    if need > 0:
        avail = np.sort(np.where(closed, 0.0, cap))[::-1].cumsum()
        k_min = int(np.searchsorted(avail, need * (1 - 1e-12))) + 1
        br += [np.full(m, row0), np.full(m, row0 + 1)]
        bc += [np.arange(m), np.arange(m)]
        bv += [cap, np.ones(m)]
        rlo.append(np.array([need, float(min(k_min, m))]))
        rhi.append(np.array([np.inf, np.inf]))
        row0 += 2
    if problem.n_sites is not None:  # exactly p sites
        br.append(np.full(m, row0))
        bc.append(np.arange(m))
        bv.append(np.ones(m))
        rlo.append(np.array([float(problem.n_sites)]))
        rhi.append(np.array([float(problem.n_sites)]))
        row0 += 1
    a = sp.csr_array((np.concatenate(bv), (np.concatenate(br), np.concatenate(bc))),
                     shape=(row0, n_col))
    return {
        "c": c, "lower": lower, "upper": upper, "integer": integer, "a": a,
        "row_lower": np.concatenate(rlo), "row_upper": np.concatenate(rhi),
        "offset": 0.0, "pairs": (pr, ps), "u_rows": u_rows, "link_row0": r,
        "n_links": int(lk.size),
    }


def _better(value: float, than: float) -> bool:
    """``value`` improves on ``than`` by more than rounding (``than`` may be inf)."""
    return value < than - 1e-12 * abs(than) if math.isfinite(than) else value < than


class _Primal:
    """Best solution found by pricing open sets with the transportation LP."""

    def __init__(self, problem: LocationProblem, red: Reduced,
                 incumbent: LocationResult | None) -> None:
        self.problem, self.red = problem, red
        self.best = incumbent
        self.value = incumbent.objective if incumbent is not None else math.inf
        self.seen: dict[bytes, float] = {}
        self.n_eval = 0
        self.p = problem.n_sites
        self.deadline = math.inf  # set by the caller: no LP runs past it

    def price(self, y: np.ndarray) -> float:
        """Value of opening exactly ``y`` (bool ``(m,)``); keeps the best [cost units].

        ``inf`` for a set of the wrong size when ``n_sites`` is fixed.
        """
        if self.p is not None and int(np.count_nonzero(y)) != self.p:
            return math.inf
        key = np.packbits(y).tobytes()
        if key in self.seen:
            return self.seen[key]
        if time.perf_counter() >= self.deadline:
            return math.inf
        self.n_eval += 1
        value, x = transport(self.problem, self.red, np.flatnonzero(y), self.deadline)
        if x is not None:  # (an LP stopped by the deadline may be priced again later)
            self.seen[key] = value
        if x is not None and _better(value, self.value):
            res = _result(self.problem, self.red, np.flatnonzero(y), x,
                          "lagrangian-heuristic")
            if res.objective < self.value:
                self.best, self.value = res, res.objective
        return value


class _Engine:
    """Kernels' buffers and the problem data, shared by the root and the tree."""

    def __init__(self, problem: LocationProblem, red: Reduced,
                 incumbent: LocationResult | None) -> None:
        self.data = _data(problem, red)
        self.primal = _Primal(problem, red, incumbent)
        self.v = np.empty(self.data.ct.shape[0])
        self.passes = 0
        #: Price an open set every :data:`CHUNK` passes of a node's ascent too (not
        #: only at its end): plans sooner, for callers that need the plan more than the proof.
        self.price_in_nodes = False

    def ascend(self, state: np.ndarray, lam: np.ndarray, prune_at: float, theta: float,
               patience: int, theta_min: float, n_pass: int, hint: float,
               deadline: float = math.inf) -> tuple[float, np.ndarray, np.ndarray, bool]:
        """Subgradient ascent from ``lam`` under the fixings ``state``.

        ``hint`` is a known bound (the parent's), for the step while no
        solution is known. Runs in chunks of :data:`CHUNK` passes and stops
        after the chunk that ends past ``deadline`` [perf_counter s].
        Returns ``(bound, best_lam, ybar, done)``: ``ybar`` is the share of
        passes in which each site was open (an estimate of the LP ``y``).
        """
        dt = self.data
        lam = lam.copy()
        best_lam = lam.copy()
        ysum = np.zeros(dt.s.size)
        target = _target(self.primal.value, hint)
        best, noimp, passes, done = -np.inf, 0, 0, False
        priced = 0
        theta = float(theta)
        started = time.perf_counter()
        while passes < n_pass:
            chunk = _chunk(passes, time.perf_counter() - started, deadline)
            best, theta, noimp, it, done, y = _ascent(
                dt.ct, dt.d, dt.s, dt.f, dt.unas, dt.need, dt.p, state, lam, best_lam,
                float(best), float(target), float(prune_at), theta, noimp, int(patience),
                float(theta_min), int(min(chunk, n_pass - passes)), KNAPSACK_NODES, ysum)
            passes += it
            if self.price_in_nodes and np.isfinite(best) and np.any(y) and passes - priced >= CHUNK:
                self.primal.price(y)
                priced = passes
            if done or time.perf_counter() >= deadline:
                break
        self.passes += passes
        return float(best), best_lam, ysum / max(passes, 1), bool(done)

    def solve_at(self, state: np.ndarray, lam: np.ndarray) -> tuple[float, np.ndarray, float]:
        """``(L(lam), y, sum_i lam_i + unassigned part)``; fills ``self.v``."""
        dt = self.data
        val, y = _lagrangian(dt.ct, dt.d, dt.s, dt.f, dt.unas, dt.need, dt.p, state, lam, self.v,
                             KNAPSACK_NODES)
        lam_part = float(np.sum(lam) + np.sum(np.minimum(dt.unas - lam, 0.0)))
        return float(val), y, lam_part

    def penalties(self, state: np.ndarray, y: np.ndarray, lam_part: float, upper: float,
                  keep_open: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sites to close / force open: flipping them lifts the bound above ``upper``.

        Uses ``self.v`` from the last :meth:`solve_at`.
        """
        dt = self.data
        m = dt.s.size
        close = np.zeros(m, dtype=bool)
        force = np.zeros(m, dtype=bool)
        limit = upper + FIX_TOL * abs(upper)
        for j in np.flatnonzero(state == 0):
            st = state.copy()
            st[j] = -1 if y[j] else 1
            kv, _, _ = _knapsack(self.v, dt.s, dt.need, dt.p, st, KNAPSACK_NODES)
            if lam_part + kv > limit:
                if y[j]:
                    force[j] = True
                elif not keep_open[j]:
                    close[j] = True
        return close, force


def _local_search(primal: _Primal, data: _Data, state: np.ndarray, v: np.ndarray,
                  deadline: float, n_cand: int = 6) -> None:
    """Drop / add / swap moves around the best open set, ranked by ``v``.

    Stops at a local optimum or at ``deadline`` [perf_counter s].
    """
    if primal.best is None:
        return
    m = data.s.size
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        y = np.zeros(m, dtype=bool)
        y[primal.best.open_sites] = True
        base = primal.value
        free_closed = np.flatnonzero(~y & (state == 0))
        cand = free_closed[np.argsort(v[free_closed])][:n_cand]
        opened = np.flatnonzero(y & (state == 0))
        drop_order = opened[np.argsort(-v[opened])]
        moves: list[np.ndarray] = []
        if data.p < 0:  # a fixed number of sites allows swaps only
            for j in drop_order:
                z = y.copy()
                z[j] = False
                if data.s[z].sum() >= data.need:
                    moves.append(z)
            for k in cand:
                z = y.copy()
                z[k] = True
                moves.append(z)
        for j in drop_order:
            for k in cand:
                z = y.copy()
                z[j], z[k] = False, True
                if data.s[z].sum() >= data.need:
                    moves.append(z)
        for z in moves:
            if time.perf_counter() >= deadline:
                return
            primal.price(z)
            if _better(primal.value, base):
                improved = True
                break


def _target(upper: float, bound: float) -> float:
    """Polyak step target: the best value, or a guess above ``bound`` without one."""
    if math.isfinite(upper):
        return upper
    return bound + 0.1 * abs(bound) + 1.0 if math.isfinite(bound) else 1.0


def _closed_gap(upper: float, bound: float, mip_gap: float) -> bool:
    """True when ``bound`` proves ``upper`` optimal within ``mip_gap``."""
    if not math.isfinite(upper):
        return False
    return bound >= upper or relative_gap(upper, bound) <= mip_gap


def _chunk(passes: int, seconds: float, deadline: float) -> int:
    """Passes for the next compiled chunk: at most :data:`CHUNK`, about
    :data:`CHUNK_SECONDS` long at the pace so far, and none past ``deadline``
    (one pass first, to measure the pace)."""
    if passes <= 0:
        return 1
    per_pass = max(seconds / passes, 1e-9)
    left = deadline - time.perf_counter()
    return int(max(1, min(CHUNK, CHUNK_SECONDS / per_pass, left / per_pass)))


def _prune_level(upper: float, mip_gap: float) -> float:
    """Bound at which a node cannot hold a solution better than ``upper`` by ``mip_gap``."""
    if not math.isfinite(upper):
        return math.inf
    return upper - max(mip_gap, FIX_TOL) * abs(upper)


@dataclass
class SplitReduction:
    """Outcome of :func:`reduce_split`.

    Attributes
    ----------
    model : dict or None
        Reduced strong model (see :func:`reduced_strong_model`); None when
        no solution is known, the bound proves the incumbent or on cancel.
    incumbent : LocationResult or None
        Best known solution (never worse than the one given).
    bound : float
        Lagrangian lower bound, valid for the full problem [cost units].
    upper : float
        Value of the incumbent [cost units]: every solution that violates
        a fixing costs more.
    closed, forced : numpy.ndarray
        ``(m,)`` bool sites fixed closed / open by the penalty tests (or by
        the problem).
    lam : numpy.ndarray
        ``(r,)`` multipliers of the bound [cost units].
    cancelled : bool
        The progress callback asked to stop.
    message : str
        Summary for the result message.
    """

    model: dict | None
    incumbent: LocationResult | None
    bound: float
    upper: float
    closed: np.ndarray
    forced: np.ndarray
    lam: np.ndarray
    cancelled: bool
    message: str


def reduce_split(problem: LocationProblem, red: Reduced, incumbent: LocationResult | None,
                 *, time_limit: float, mip_gap: float = 0.0,
                 progress: ProgressFn | None = None,
                 progress_span: tuple[float, float] = (0.0, 1.0),
                 build_model: bool = True, engine: _Engine | None = None) -> SplitReduction:
    """Bound, fix sites and build the reduced strong model (split demand).

    Rounds of: subgradient ascent (pricing the open sets it meets), a
    local search around the best solution, penalty tests; until no site
    gets fixed, the bound proves the best solution or time is up.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated problem with split demand and no ``n_sites``.
    red : Reduced
        Its merged rows.
    incumbent : LocationResult, optional
        A feasible solution (improved here when possible).
    time_limit : float
        Budget for the ascent and the heuristic [s].
    mip_gap : float
        Stop when the bound is this close to the best solution [fraction].
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.
    build_model : bool
        Build :func:`reduced_strong_model` (for HiGHS).
    engine : _Engine, optional
        Internal: reuse buffers and the priced open sets.

    Returns
    -------
    SplitReduction
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    if engine is None:
        engine = _Engine(problem, red, incumbent)
        engine.primal.deadline = deadline
    eng = engine
    data, primal = eng.data, eng.primal
    m = problem.n_candidates
    state = data.state.copy()
    lam = _initial_multipliers(data)
    bound = -math.inf
    lo_f, hi_f = progress_span
    cancelled = False
    val0, y0, _ = eng.solve_at(state, lam)
    if not math.isfinite(primal.value) and math.isfinite(val0):
        primal.price(y0)  # a first solution, for the step and the tests
    while True:
        theta, noimp, best = THETA0, 0, -math.inf
        best_lam = lam.copy()
        passes = priced = 0
        started = time.perf_counter()
        while passes < MAX_PASSES:
            target = _target(primal.value, max(best, val0))
            prune_at = _prune_level(primal.value, mip_gap)
            best, theta, noimp, it, done, y = _ascent(
                data.ct, data.d, data.s, data.f, data.unas, data.need, data.p, state, lam,
                best_lam, best, float(target), float(prune_at), theta, noimp, PATIENCE,
                THETA_MIN, _chunk(passes, time.perf_counter() - started, deadline),
                KNAPSACK_NODES, np.zeros(m))
            passes += it
            eng.passes += it
            # a transportation LP per CHUNK passes, however short the chunks
            if math.isfinite(best) and np.any(y) and (passes - priced >= CHUNK or done):
                primal.price(y)
                priced = passes
            if progress is not None:
                frac = lo_f + (hi_f - lo_f) * min((time.perf_counter() - t0) / time_limit, 1.0)
                if progress(frac, f"Lagrangian bound {best:,.6g}, best {primal.value:,.6g}"):
                    cancelled = True
                    break
            if done or time.perf_counter() >= deadline:
                break
        lam = best_lam
        # after fixings the ascent bounds the solutions that respect them;
        # the others cost more than the best value, and min() with the
        # final best value below keeps the result valid
        bound = max(bound, best)
        if not math.isfinite(best) or cancelled or _closed_gap(primal.value, bound, mip_gap):
            break
        val, y, lam_part = eng.solve_at(state, lam)
        primal.price(y)
        now = time.perf_counter()
        _local_search(primal, data, state, eng.v, now + 0.25 * max(deadline - now, 0.0))
        if not math.isfinite(primal.value) or _closed_gap(primal.value, bound, mip_gap):
            break
        keep_open = np.zeros(m, dtype=bool)
        keep_open[primal.best.open_sites] = True
        close, force = eng.penalties(state, y, lam_part, primal.value, keep_open)
        state[close] = -1
        state[force] = 1
        if not (close.any() or force.any()) or time.perf_counter() >= deadline:
            break
    upper = primal.value
    bound = min(bound, upper)
    closed = state == -1
    forced = state == 1
    msg = [f"Lagrangian bound {bound:,.6g} after {eng.passes} passes",
           f"closed {int(closed.sum())} and fixed open {int(forced.sum())} of {m} sites"]
    model = None
    if (build_model and math.isfinite(upper) and not cancelled
            and not _closed_gap(upper, bound, mip_gap)):
        model = reduced_strong_model(problem, red, lam, closed, forced)
        msg.append(f"{model['n_links']} of {model['pairs'][0].size} linking rows")
    return SplitReduction(model=model, incumbent=primal.best, bound=bound, upper=upper,
                          closed=closed, forced=forced, lam=lam, cancelled=cancelled,
                          message="; ".join(msg))


# ----------------------------------------------------------------------- tree
#: Subgradient passes at a node of the tree (warm-started from its parent).
NODE_PASSES = 200
#: Initial step factor, patience and smallest step factor at the nodes.
NODE_THETA = 2.0
NODE_PATIENCE = 10
NODE_THETA_MIN = 1e-3
#: Share of the time limit for the root (bound, heuristic, first fixings).
ROOT_SHARE = 0.3


@dataclass
class _Node:
    state: np.ndarray   # (m,) int64 fixings
    lam: np.ndarray     # (r,) parent's multipliers
    bound: float        # parent's bound [cost units]


def _process(eng: _Engine, node: _Node, mip_gap: float,
             deadline: float = math.inf) -> tuple[float, list[_Node]]:
    """Bound, price, fix and branch one node; returns ``(bound, children)``.

    Past ``deadline`` [perf_counter s] the node comes back unfinished (as
    its own child, with the fixings and bound found so far).
    """
    primal = eng.primal
    state = node.state.copy()
    lam = node.lam
    best = node.bound
    while True:
        prune_at = _prune_level(primal.value, mip_gap)
        best, lam, ybar, _ = eng.ascend(state, lam, prune_at, NODE_THETA, NODE_PATIENCE,
                                        NODE_THETA_MIN, NODE_PASSES, node.bound, deadline)
        best = max(best, node.bound)
        if best >= prune_at:
            return best, []
        if time.perf_counter() >= deadline:
            return best, [_Node(state, lam, best)]
        val, y, lam_part = eng.solve_at(state, lam)
        if not math.isfinite(val):
            return math.inf, []
        priced = primal.price(y)
        if best >= _prune_level(primal.value, mip_gap):
            return best, []
        if priced <= val + FIX_TOL * abs(val):  # the relaxed solution is feasible
            return min(priced, best), []
        keep_open = np.zeros(state.size, dtype=bool)
        if primal.best is not None:
            keep_open[primal.best.open_sites] = True
        close, force = eng.penalties(state, y, lam_part, primal.value, keep_open)
        if not (close.any() or force.any()):
            break
        state[close] = -1
        state[force] = 1
    free = np.flatnonzero(state == 0)
    if free.size == 0:  # every site fixed: the transportation LP solves the node
        value = primal.price(state == 1)
        if not math.isfinite(value) and time.perf_counter() >= deadline:
            return best, [_Node(state, lam, best)]  # the LP was stopped, not infeasible
        return max(best, value), []
    frac = np.minimum(ybar[free], 1.0 - ybar[free])
    if frac.max() > 0:
        j = int(free[np.argmax(frac)])
    else:  # the relaxation keeps the same sites: branch on the least useful open one
        opened = free[y[free]]
        j = int(opened[np.argmax(eng.v[opened])]) if opened.size else int(
            free[np.argmin(eng.v[free])])
    s_open, s_closed = state.copy(), state.copy()
    s_open[j], s_closed[j] = 1, -1
    kids = [_Node(s_open, lam, best), _Node(s_closed, lam, best)]
    if ybar[j] >= 0.5:  # explore the likelier side first (last in, first out)
        kids.reverse()
    return best, kids


def solve_split(problem: LocationProblem, red: Reduced, incumbent: LocationResult | None,
                *, time_limit: float, mip_gap: float = 1e-4,
                progress: ProgressFn | None = None,
                progress_span: tuple[float, float] = (0.0, 1.0),
                price_in_nodes: bool = False) -> LocationResult:
    """Lagrangian branch and bound for split-demand capacitated problems.

    The root is :func:`reduce_split`; the tree branches on sites (open /
    closed), depth first. Every node warm-starts the ascent from its
    parent's multipliers, prices its relaxed open set with the
    transportation LP and runs the penalty tests; it is pruned when its
    bound reaches the best value less ``mip_gap``.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated problem with split demand and no ``n_sites``.
    red : Reduced
        Its merged rows.
    incumbent : LocationResult, optional
        A feasible solution.
    time_limit : float
        Wall-clock limit [s].
    mip_gap : float
        Relative gap at which a node is pruned [fraction].
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.
    price_in_nodes : bool
        Also price the relaxed open set every :data:`CHUNK` passes of a
        node's ascent: better plans sooner, a little less time for the bound.

    Returns
    -------
    LocationResult
        Status ``optimal`` when the tree is exhausted, ``time_limit`` or
        ``cancelled`` otherwise (bound: smallest bound of the open nodes),
        ``infeasible`` when no opening covers the demand.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    eng = _Engine(problem, red, incumbent)
    eng.primal.deadline = deadline
    eng.price_in_nodes = price_in_nodes
    lo_f, hi_f = progress_span
    mid = lo_f + ROOT_SHARE * (hi_f - lo_f)
    root = reduce_split(problem, red, incumbent, time_limit=ROOT_SHARE * time_limit,
                        mip_gap=mip_gap, progress=progress, progress_span=(lo_f, mid),
                        build_model=False, engine=eng)
    primal = eng.primal
    method = "exact:lagrangian-split"
    state = eng.data.state.copy()
    state[root.closed] = -1
    state[root.forced] = 1
    stack = [_Node(state, root.lam, root.bound)]
    nodes = 0
    status = "cancelled" if root.cancelled else "optimal"
    last = -1.0
    done_bound = math.inf  # smallest bound of the nodes closed so far
    while stack and status == "optimal":
        lb = min(n.bound for n in stack)
        if _closed_gap(primal.value, lb, mip_gap):
            done_bound = min(done_bound, lb)
            stack.clear()
            break
        now = time.perf_counter()
        if now >= deadline:
            status = "time_limit"
            break
        if progress is not None and now - last >= 0.25:
            last = now
            frac = mid + (hi_f - mid) * min((now - t0) / time_limit, 1.0)
            lb = min(min(n.bound for n in stack), primal.value)
            if progress(frac, f"Lagrangian tree: {nodes} nodes, best {primal.value:,.6g}, "
                              f"bound {lb:,.6g}"):
                status = "cancelled"
                break
        node = stack.pop()
        if node.bound >= _prune_level(primal.value, mip_gap):
            done_bound = min(done_bound, node.bound)
            continue
        nodes += 1
        node_bound, kids = _process(eng, node, mip_gap, deadline)
        if kids:
            stack.extend(kids)
        else:
            done_bound = min(done_bound, node_bound)
    upper = primal.value
    bound = min([n.bound for n in stack] + [done_bound, upper])
    bound = max(bound, min(root.bound, upper))  # both are valid bounds
    seconds = time.perf_counter() - t0
    msg = (f"{root.message}; tree: {nodes} nodes, {eng.passes} subgradient passes, "
           f"{primal.n_eval} transportation LPs")
    inc = primal.best
    if not math.isfinite(bound):
        bound = math.nan
    if inc is None:
        return LocationResult(
            open_sites=np.zeros(0, dtype=np.intp),
            assignment=np.full(problem.n_groups, -1, dtype=np.intp), allocation=None,
            objective=math.inf, bound=bound, gap=math.nan,
            status="infeasible" if status == "optimal" else status, method=method,
            seconds=seconds, message=msg)
    return LocationResult(
        open_sites=inc.open_sites, assignment=inc.assignment, allocation=inc.allocation,
        objective=inc.objective, bound=bound, gap=relative_gap(inc.objective, bound),
        status=status, method=f"{method}+{inc.method}", seconds=seconds, message=msg)



def quick_start(problem: LocationProblem, red: Reduced, time_limit: float, *,
                warm_start: np.ndarray | None = None, progress: ProgressFn | None = None,
                progress_span: tuple[float, float] = (0.0, 1.0)) -> LocationResult | None:
    """A split plan: the uncapacitated heuristic's open sites, allocated by the transportation LP.

    With a fixed number of sites the capacitated heuristic spends most of
    its time in full transportation LPs; this start costs one p-median
    search and one (column-generation) LP, and the tree's local search
    takes it from there. ``None`` when those sites cannot serve the demand
    (or on cancel). ``warm_start`` sites, when given, seed the p-median search.
    """
    sub = LocationProblem(cost=problem.cost, n_sites=problem.n_sites,
                          fixed_cost=problem.fixed_cost, forced_open=problem.forced_open,
                          allowed=problem.allowed, unassigned_cost=problem.unassigned_cost)
    unc = solve_heuristic(sub, time_limit=time_limit, warm_start=warm_start, progress=progress,
                          progress_span=progress_span)
    if not unc.feasible or unc.status == "cancelled":
        return None
    value, x = transport(problem, red, unc.open_sites)
    if x is None or not math.isfinite(value):
        return None
    res = _result(problem, red, unc.open_sites, x, "p-median-sites+transportation-lp")
    return res if math.isfinite(res.objective) else None

# ------------------------------------------------------------ single source
#: Share of the time limit the single-source wrapper gives the split tree
#: (the rest goes to single-source searches from its best open sets).
SINGLE_TREE_SHARE = 0.85


def _single_source_plan(problem: LocationProblem, search: SiteSearch, sites: np.ndarray,
                        stop: Callable[[], bool] | None,
                        start: tuple[np.ndarray, float] | None = None) -> LocationResult | None:
    """Single-source plan on ``sites``, improved by the site search while ``stop()`` is False.

    ``start`` is an assignment to ``sites`` (columns of ``search.sub(sites)``) with its
    value; without one the assignment heuristic makes it.
    """
    sites = np.sort(np.asarray(sites, dtype=np.intp))
    out = start if start is not None else search.evaluate(sites)
    if out is None:
        return None
    a, val = out
    method = "single-source-search" if start is None else "rounded-split-plan+single-source-search"
    if stop is not None:
        sites, a, val, _ = search.search(sites, a, val, stop, np.random.default_rng(0))
        sites = np.asarray(sites, dtype=np.intp)
    assignment = sites_of(sites, a)
    open_sites = np.sort(sites)
    obj = evaluate(problem, open_sites, assignment)
    if not math.isfinite(obj):
        return None
    return LocationResult(open_sites=open_sites, assignment=assignment, allocation=None,
                          objective=obj, bound=math.nan, gap=math.nan, status="feasible",
                          method=method, seconds=0.0)


def _rounded(search: SiteSearch, split_plan: LocationResult, deadline: float
             ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The split plan's allocation made single source (:func:`round_split`):
    ``(sorted sites, assignment to them, value)``, or None."""
    sites = np.sort(split_plan.open_sites)
    column = np.full(search.m, -1, dtype=np.intp)
    column[sites] = np.arange(sites.size)
    x = split_plan.allocation.tocoo()
    c, cap = search.sub(sites)
    out = round_split(c, search.d, cap, np.asarray(x.row), column[x.col], np.asarray(x.data),
                      big=search.big, deadline=deadline)
    if out is None:
        return None
    a, _ = out
    return sites, a, search.value(sites, c, a)


def solve_single_source(problem: LocationProblem, incumbent: LocationResult | None, *,
                        time_limit: float, mip_gap: float = 1e-4,
                        progress: ProgressFn | None = None,
                        progress_span: tuple[float, float] = (0.0, 1.0)) -> LocationResult:
    """Single-source capacitated problems: the split tree's bound, single-source plans.

    Every single-source plan is a split plan, so a lower bound of the split
    problem bounds the single-source one. :func:`solve_split` runs on the
    split relaxation with the single-source plan as its incumbent (it
    prunes the nodes that cannot beat it by ``mip_gap``); then the tree's
    best open set, and the incumbent's, are assigned single-source and
    improved by the site search of :mod:`footprint.locate.heuristic.single_source`.

    Parameters
    ----------
    problem : LocationProblem
        Capacitated, single-source problem.
    incumbent : LocationResult, optional
        A feasible single-source plan.
    time_limit : float
        Wall-clock limit [s].
    mip_gap : float
        Relative gap at which the search stops [fraction].
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.

    Returns
    -------
    LocationResult
        The best single-source plan, never worse than ``incumbent``; bound
        from the split relaxation. Status ``optimal`` when the gap is at
        most ``mip_gap``, ``infeasible`` only when the split relaxation is
        proven infeasible, ``time_limit``/``cancelled`` when stopped, else
        ``feasible``.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    split = replace(problem, single_source=False)
    red = aggregate_rows(split)
    lo_f, hi_f = progress_span
    mid = lo_f + SINGLE_TREE_SHARE * (hi_f - lo_f)
    best = incumbent if incumbent is not None and math.isfinite(incumbent.objective) else None
    # the single-source plan comes from the tree's best split plan: price as it goes
    tree = solve_split(split, red, best, time_limit=SINGLE_TREE_SHARE * time_limit,
                       mip_gap=mip_gap, progress=progress, progress_span=(lo_f, mid),
                       price_in_nodes=True)
    bound = tree.bound
    status = tree.status
    if status == "infeasible":  # the split relaxation has no solution
        return replace(tree, seconds=time.perf_counter() - t0,
                       method="exact:lagrangian-split-bound")
    cancelled = status == "cancelled"
    cost = problem.masked_cost()
    search = SiteSearch(cost, problem.demand_or_ones(), np.asarray(problem.capacity, float),
                        problem.fixed_or_zeros(), problem.forced_or_none(),
                        problem.unassigned_cost, deadline=deadline)
    last = [-1.0]

    def stop() -> bool:
        nonlocal cancelled
        now = time.perf_counter()
        if progress is not None and now - last[0] >= 0.25:
            last[0] = now
            frac = mid + (hi_f - mid) * min((now - t0) / max(time_limit, 1e-9), 1.0)
            if progress(frac, "single-source search from the bound's best sites"):
                cancelled = True
        gap_ok = best is not None and math.isfinite(bound) and relative_gap(
            best.objective, bound) <= mip_gap
        return cancelled or gap_ok or now >= deadline

    searched = None  # the plan a site search has already ended on
    if not cancelled and tree.allocation is not None:
        # the tree's best plan is a split one: a basic LP solution splits at
        # most one group per open site, so rounding it loses next to nothing
        rounded = _rounded(search, tree, deadline)
        if rounded is not None:
            plan = _single_source_plan(problem, search, rounded[0], stop, rounded[1:])
            if plan is not None and (best is None or plan.objective < best.objective):
                best = searched = plan
    elif not cancelled and tree.open_sites.size and (
            best is None or not np.array_equal(tree.open_sites, best.open_sites)):
        plan = _single_source_plan(problem, search, tree.open_sites, stop)
        if plan is not None and (best is None or plan.objective < best.objective):
            best = plan
    if best is not None and best is not searched and not stop():
        plan = _single_source_plan(problem, search, best.open_sites, stop)
        if plan is not None and plan.objective < best.objective:
            best = plan
    seconds = time.perf_counter() - t0
    msg = f"split relaxation: {tree.verdict()}; {tree.message}"
    method = "exact:lagrangian-split-bound"
    if best is None:
        return LocationResult(
            open_sites=np.zeros(0, dtype=np.intp),
            assignment=np.full(problem.n_groups, -1, dtype=np.intp), allocation=None,
            objective=math.inf, bound=bound, gap=math.nan,
            status="cancelled" if cancelled else "time_limit", method=method,
            seconds=seconds, message=msg + "; no single-source plan found")
    if math.isfinite(bound):
        bound = min(bound, best.objective)
    gap = relative_gap(best.objective, bound)
    if cancelled:
        status = "cancelled"
    elif math.isfinite(gap) and gap <= mip_gap:
        status = "optimal"
    elif time.perf_counter() < deadline:  # (the tree's share may have run out)
        status = "feasible"
    else:
        status = "time_limit"
    return LocationResult(
        open_sites=best.open_sites, assignment=best.assignment, allocation=None,
        objective=best.objective, bound=bound, gap=gap, status=status,
        method=f"{method}+{best.method}", seconds=seconds, message=msg)
