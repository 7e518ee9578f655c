"""Fast heuristics for single-source capacitated problems.

* :func:`gap_assign`: single-source assignment of groups to a fixed set of
  open sites (a generalised assignment problem): Martello-Toth regret greedy
  with capacities, a first-fit-decreasing fallback, then shift / swap local
  search. Pure numpy, milliseconds for a few hundred groups.
* :func:`single_source_search`: open-set search around it: a feasible
  construction (uncapacitated interchange answer, capacity topped up), then
  cluster relocation (locate-allocate) and swap moves ranked by their
  uncapacitated delta, each re-evaluated with :func:`gap_assign`.

May import :mod:`footprint.locate`'s base modules only (numpy, scipy, numba).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from numba import njit

__all__ = ["gap_assign", "improve_assignment", "positions_of", "sites_of"]

_TOL = 1e-9
#: Ejection chains / cyclic exchanges (:func:`_chain_sweep`): longest chain
#: [groups], continuations kept per node, work per pass [pairs looked at],
#: and the largest groups × sites they are tried on.
CHAIN_DEPTH = 6
CHAIN_BEAM = 10
CHAIN_WORK = 20_000_000
CHAIN_PAIRS = 200_000
#: Largest groups × open sites for which stuck searches re-assign each move
#: afresh (a few milliseconds a move at this size).
FRESH_PAIRS = 50_000
#: Largest groups × open sites whose stuck searches assign each move exactly
#: (a small HiGHS assignment MIP, milliseconds at this size).
EXACT_PAIRS = 200


# --------------------------------------------------------------------------
# compiled kernels (O(n k) memory; nothing here measures time)
# --------------------------------------------------------------------------

@njit(cache=True, nogil=True)
def _best_two(c, d, r, tol, i, out):
    """Cheapest and second-cheapest site of row ``i`` with room for it."""
    k = c.shape[1]
    m1 = np.inf
    m2 = np.inf
    j1 = -1
    j2 = -1
    for j in range(k):
        if d[i] <= r[j] + tol:
            v = c[i, j]
            if v < m1:
                m2 = m1
                j2 = j1
                m1 = v
                j1 = j
            elif v < m2:
                m2 = v
                j2 = j
    out[0] = j1
    out[1] = j2
    return m1, m2


@njit(cache=True, nogil=True)
def _first_of(reg, d, a, b):
    """The group placed first of ``a`` and ``b`` (-1: none): the largest
    regret, ties the largest demand, then the lowest index."""
    if a < 0:
        return b
    if b < 0:
        return a
    if reg[a] != reg[b]:
        return a if reg[a] > reg[b] else b
    if d[a] != d[b]:
        return a if d[a] > d[b] else b
    return a if a < b else b


@njit(cache=True, nogil=True)
def _tree_update(tree, size, reg, d, i, present):
    """Set leaf ``i`` of the tournament tree (present or removed) and replay its path."""
    node = size + i
    tree[node] = i if present else -1
    node //= 2
    while node >= 1:
        tree[node] = _first_of(reg, d, tree[2 * node], tree[2 * node + 1])
        node //= 2


@njit(cache=True, nogil=True)
def _rescan(c, d, r, tol, i, tmp, j1, j2, reg):
    """Recompute row ``i``'s two cheapest sites with room and its regret; False if none fits."""
    m1, m2 = _best_two(c, d, r, tol, i, tmp)
    if not m1 < np.inf:
        return False
    j1[i] = tmp[0]
    j2[i] = tmp[1]
    reg[i] = m2 - m1 if m2 < np.inf else np.inf
    return True


@njit(cache=True, nogil=True)
def _regret_kernel(c, d, cap, tol, a):
    """Martello-Toth regret greedy; False when a group cannot be placed.

    The next group comes from a tournament tree over the unplaced groups
    (``O(log n)`` per change). Placing a group only lowers the room of its
    site *j*, so only groups that no longer fit there and had *j* as their
    cheapest or second-cheapest site are re-scanned; they are found by a
    pointer per site that walks the groups in decreasing demand (a group
    that no longer fits never fits again). ``O(n log n + n k)`` time in all,
    ``O(n + k)`` memory.
    """
    n, k = c.shape
    r = cap.copy()
    j1 = np.empty(n, dtype=np.intp)
    j2 = np.empty(n, dtype=np.intp)
    reg = np.empty(n)
    left = np.ones(n, dtype=np.bool_)
    tmp = np.empty(2, dtype=np.intp)
    for i in range(n):
        if not _rescan(c, d, r, tol, i, tmp, j1, j2, reg):
            return False
    size = 1
    while size < n:
        size *= 2
    tree = np.full(2 * size, -1, dtype=np.intp)
    for i in range(n):
        tree[size + i] = i
    for node in range(size - 1, 0, -1):
        tree[node] = _first_of(reg, d, tree[2 * node], tree[2 * node + 1])
    by_demand = np.argsort(-d, kind="mergesort")
    walked = np.zeros(k, dtype=np.intp)  # groups of by_demand already found too large for site j
    for _ in range(n):
        t = tree[1]
        if t < 0:
            break
        j = j1[t]
        a[t] = j
        r[j] -= d[t]
        left[t] = False
        _tree_update(tree, size, reg, d, t, False)
        while walked[j] < n and d[by_demand[walked[j]]] > r[j] + tol:
            i = by_demand[walked[j]]
            walked[j] += 1
            if left[i] and (j1[i] == j or j2[i] == j):
                if not _rescan(c, d, r, tol, i, tmp, j1, j2, reg):
                    return False
                _tree_update(tree, size, reg, d, i, True)
    return True


@njit(cache=True, nogil=True)
def _unlink(i, j, head, nxt, prv):
    p = prv[i]
    q = nxt[i]
    if p >= 0:
        nxt[p] = q
    else:
        head[j] = q
    if q >= 0:
        prv[q] = p


@njit(cache=True, nogil=True)
def _link(i, j, head, nxt, prv):
    q = head[j]
    nxt[i] = q
    prv[i] = -1
    if q >= 0:
        prv[q] = i
    head[j] = i


@njit(cache=True, nogil=True)
def _move(i, j, a, d, r, head, nxt, prv):
    """Move group ``i`` to site ``j`` (room and member lists updated)."""
    o = a[i]
    r[o] += d[i]
    r[j] -= d[i]
    _unlink(i, o, head, nxt, prv)
    _link(i, j, head, nxt, prv)
    a[i] = j


@njit(cache=True, nogil=True)
def _best_shift(c, d, r, tol, a, i):
    """Best feasible shift of group ``i``: (site, delta); (-1, inf) if none."""
    k = c.shape[1]
    cur = c[i, a[i]]
    bj = -1
    bv = np.inf
    for j in range(k):
        if j != a[i] and d[i] <= r[j] + tol:
            v = c[i, j] - cur
            if v < bv:
                bv = v
                bj = j
    return bj, bv


@njit(cache=True, nogil=True)
def _shift_sweep(c, d, r, tol, eps, a, head, nxt, prv, max_moves):
    """One pass over the groups, each moved to its best feasible site when
    that improves by more than ``eps``; returns the number of moves."""
    n = c.shape[0]
    moves = 0
    for i in range(n):
        if moves >= max_moves:
            break
        j, v = _best_shift(c, d, r, tol, a, i)
        if j >= 0 and v < -eps:
            _move(i, j, a, d, r, head, nxt, prv)
            moves += 1
    return moves


@njit(cache=True, nogil=True)
def _refresh_out(c, d, r, tol, a, out_k, out_d):
    for i in range(c.shape[0]):
        j, v = _best_shift(c, d, r, tol, a, i)
        out_k[i] = j
        out_d[i] = v


@njit(cache=True, nogil=True)
def _pair_sweep(c, d, r, tol, eps, a, head, nxt, prv, out_k, out_d, lo, hi, max_moves):
    """Ejection chains and swaps for the movers ``lo <= i < hi``.

    A chain moves ``i`` to the site ``j`` of ``i2`` and ``i2`` on to its best
    shift site ``out_k[i2]`` (which must have room for it without ``i``'s
    freed room); a swap exchanges ``i`` and ``i2``. Once no shift improves
    (``out_d >= -eps``), a chain can only improve when ``c[i, j] <
    c[i, a[i]]``, and of the two groups of an improving swap at least one
    gets cheaper, so only the sites cheaper than the mover's current one
    and their members are scanned. For each mover the best chain or swap
    over its partners is applied at once (first improvement over movers,
    best over partners). ``out_k``/``out_d`` of the moved groups are
    refreshed; for the others a stale entry is re-checked before use (a
    missed chain is found by the caller's next full pass).
    """
    k = c.shape[1]
    moves = 0
    for i in range(lo, hi):
        if moves >= max_moves:
            break
        ai = a[i]
        cur = c[i, ai]
        best = -eps
        bi2 = -1
        bkind = 0
        for j in range(k):
            if j == ai:
                continue
            cij = c[i, j]
            if not cij < cur:
                continue
            g = cij - cur
            i2 = head[j]
            while i2 >= 0:
                room = r[j] + d[i2] - d[i] >= -tol
                if room:
                    # ejection chain
                    k2 = out_k[i2]
                    if k2 >= 0 and k2 != ai and d[i2] <= r[k2] + tol:
                        v = g + (c[i2, k2] - c[i2, j])
                        if v < best:
                            best = v
                            bi2 = i2
                            bkind = 1
                    # swap
                    if r[ai] + d[i] - d[i2] >= -tol:
                        v = g + (c[i2, ai] - c[i2, j])
                        if v < best:
                            best = v
                            bi2 = i2
                            bkind = 2
                i2 = nxt[i2]
        if bi2 < 0:
            continue
        j = a[bi2]
        if bkind == 1:
            k2 = out_k[bi2]
            _move(i, j, a, d, r, head, nxt, prv)
            _move(bi2, k2, a, d, r, head, nxt, prv)
        else:
            _move(bi2, ai, a, d, r, head, nxt, prv)
            _move(i, j, a, d, r, head, nxt, prv)
        moves += 1
        for g2 in (i, bi2):
            jj, vv = _best_shift(c, d, r, tol, a, g2)
            out_k[g2] = jj
            out_d[g2] = vv
    return moves


@njit(cache=True, nogil=True)
def _keep_best(vals, gs, ts, count, beam, v, g, t):
    """Insert candidate ``(v, g, t)`` into the ``beam`` smallest (unsorted); new count."""
    if count < beam:
        vals[count] = v
        gs[count] = g
        ts[count] = t
        return count + 1
    worst = 0
    for q in range(1, count):
        if vals[q] > vals[worst]:
            worst = q
    if v < vals[worst]:
        vals[worst] = v
        gs[worst] = g
        ts[worst] = t
    return count


@njit(cache=True, nogil=True)
def _chain_sweep(c, d, r, tol, eps, a, head, nxt, prv, depth, beam, max_moves, max_work):
    """Ejection chains and cyclic exchanges of up to ``depth`` groups.

    For each group ``g0`` in turn a depth-first search with a beam: ``g0``
    moves to a cheaper site ``t0``; if ``t0`` has no room a member ``g1`` of
    ``t0`` is ejected to a site ``t1`` (a new site, or ``g0``'s old one to
    close a cycle), and so on, every site at most once (subset-disjoint, as
    in Ahuja et al.'s multi-exchange neighbourhood for the single-source
    CFLP). A branch is followed only while its partial change is negative
    (the gain criterion), and only the ``beam`` best continuations of each
    node. The first chain that ends in room and lowers the cost is applied.
    Returns ``(moves, work)``; stops once ``work`` (candidate pairs looked
    at) exceeds ``max_work``.
    """
    n, k = c.shape
    vals = np.empty((depth, beam))
    gs = np.empty((depth, beam), dtype=np.intp)
    ts = np.empty((depth, beam), dtype=np.intp)
    cn = np.zeros(depth, dtype=np.intp)
    ci = np.zeros(depth, dtype=np.intp)
    used = np.zeros(k, dtype=np.bool_)
    moves = 0
    work = 0
    for g0 in range(n):
        if moves >= max_moves or work > max_work:
            break
        s0 = a[g0]
        base = c[g0, s0]
        cn[0] = 0
        for t in range(k):
            if t != s0:
                v = c[g0, t] - base
                if v < -eps:
                    cn[0] = _keep_best(vals[0], gs[0], ts[0], cn[0], beam, v, g0, t)
        work += k
        used[s0] = True
        ci[0] = 0
        lev = 0
        done = False
        while lev >= 0 and not done:
            if ci[lev] >= cn[lev]:
                lev -= 1
                if lev >= 0:
                    used[ts[lev, ci[lev]]] = False
                    ci[lev] += 1
                continue
            g = gs[lev, ci[lev]]
            t = ts[lev, ci[lev]]
            gv = vals[lev, ci[lev]]
            room = r[t] + (d[g0] if t == s0 else 0.0)
            if room >= d[g] - tol and gv < -eps:
                # apply the chain: every mover of levels 0..lev to its target
                for q in range(lev + 1):
                    _move(gs[q, ci[q]], ts[q, ci[q]], a, d, r, head, nxt, prv)
                moves += 1
                done = True
                break
            if t == s0 or lev + 1 >= depth:
                ci[lev] += 1
                continue
            used[t] = True
            nl = lev + 1
            cn[nl] = 0
            h = head[t]
            while h >= 0:
                if r[t] + d[h] - d[g] >= -tol:
                    out = gv - c[h, t]
                    for t2 in range(k):
                        if t2 == t or (used[t2] and t2 != s0):
                            continue
                        v = out + c[h, t2]
                        if v < -eps:
                            cn[nl] = _keep_best(vals[nl], gs[nl], ts[nl], cn[nl], beam, v, h, t2)
                    work += k
                h = nxt[h]
            ci[nl] = 0
            lev = nl
        used[:] = False
    return moves, work


@njit(cache=True, nogil=True)
def _move_tables(cc, closed_idx, a, n1, d1, d2, k):
    """Cluster-move costs and uncapacitated swap deltas in one ``O(n m)`` pass.

    ``mc[q, t]``: cost of serving site position ``q``'s current groups
    (``a == q``) from closed site ``closed_idx[t]``. ``g[t] + h[q, t]``:
    uncapacitated change of closing position ``q`` and opening
    ``closed_idx[t]``, where ``g[t] = sum_i min(c_it - d1_i, 0)`` (every
    row may move to the new site) and ``h`` corrects the rows whose nearest
    open site is ``q`` (they fall back to ``min(d2_i, c_it)``). Memory
    ``O(k m)``; no ``(n, m)`` temporary.
    """
    n = cc.shape[0]
    nc = closed_idx.size
    mc = np.zeros((k, nc))
    g = np.zeros(nc)
    h = np.zeros((k, nc))
    for i in range(n):
        q = n1[i]
        ai = a[i]
        for t in range(nc):
            cij = cc[i, closed_idx[t]]
            gain = cij - d1[i]
            if gain > 0.0:
                gain = 0.0
            g[t] += gain
            h[q, t] += min(d2[i], cij) - d1[i] - gain
            if ai < k:
                mc[ai, t] += cij
    return mc, g, h


@njit(cache=True, nogil=True)
def _members(a, k):
    """Doubly linked member lists of the sites: ``head[j]``, ``nxt``, ``prv``."""
    n = a.size
    head = np.full(k, -1, dtype=np.intp)
    nxt = np.full(n, -1, dtype=np.intp)
    prv = np.full(n, -1, dtype=np.intp)
    for i in range(n - 1, -1, -1):
        _link(i, a[i], head, nxt, prv)
    return head, nxt, prv


def sites_of(sites: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Site of every group from its position ``a`` in ``sites``; position ``sites.size``
    (the virtual unserved column) gives -1."""
    sites = np.asarray(sites, dtype=np.intp)
    a = np.asarray(a, dtype=np.intp)
    return np.where(a < sites.size, sites[np.minimum(a, sites.size - 1)], -1).astype(np.intp)


def positions_of(sites: np.ndarray, assignment: np.ndarray, m: int) -> np.ndarray:
    """The inverse of :func:`sites_of`: every group's position in ``sites`` (``m`` sites in
    all); a group at -1 or at a site not in ``sites`` gets ``sites.size`` (unserved)."""
    sites = np.asarray(sites, dtype=np.intp)
    position = np.full(m + 1, sites.size, dtype=np.intp)  # the last entry: assignment -1
    position[sites] = np.arange(sites.size)
    assignment = np.asarray(assignment, dtype=np.intp)
    return position[np.where(assignment >= 0, assignment, m)]


def _regret_greedy(c: np.ndarray, d: np.ndarray, cap: np.ndarray) -> np.ndarray | None:
    """Martello-Toth regret greedy; ``None`` when a group cannot be placed.

    Groups with a single option first, then the largest regret (second
    cheapest minus cheapest feasible site), ties: the largest demand, then
    the lowest index; each to its cheapest feasible site. Compiled,
    ``O(n log n + n k)`` time and ``O(n + k)`` extra memory.
    """
    n, k = c.shape
    a = np.full(n, -1, dtype=np.intp)
    if n == 0:
        return a
    if k == 0:
        return None
    d = np.ascontiguousarray(d, dtype=np.float64)
    tol = _TOL * max(float(d.max(initial=0.0)), 1.0)
    ok = _regret_kernel(np.ascontiguousarray(c, dtype=np.float64), d,
                        np.asarray(cap, dtype=np.float64).copy(), tol, a)
    return a if ok else None


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
                       max_moves: int = 10_000, swaps: bool = True, *,
                       deadline: float | None = None) -> np.ndarray:
    """Shift, ejection-chain and swap local search on a feasible
    single-source assignment.

    Moves (feasibility with the same tolerance as the constructions):

    * shift: one group to another site with room;
    * ejection chain: group ``i`` to the site of ``i2``, ``i2`` on to its
      best shift site (not ``i``'s old site);
    * swap: ``i`` and ``i2`` exchange their sites.

    Strategy: shift passes over the groups (each group to its best site,
    first improvement over groups) until none improves, then, when
    ``swaps``, one pass of chains and swaps (for each group in turn the
    best move over its partners is applied at once), and again, until a
    whole round makes no move. Only partners at sites cheaper for the mover
    than its own are scanned, which is exact once no shift improves (see
    :func:`_pair_sweep`). Compiled, ``O(n k)`` memory and ``O(n k)`` time per
    shift pass; a chain/swap pass costs the sum over groups of the members
    of their cheaper sites (at most ``O(n^2)``, usually far less).

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
        Also try ejection chains and exchanges of two groups.
    deadline : float, optional
        A :func:`time.perf_counter` value; once passed, the current (still
        feasible) assignment is returned (checked between passes and every
        few thousand groups of a chain/swap pass).

    Returns
    -------
    numpy.ndarray
        The improved assignment.
    """
    n, k = c.shape
    a = np.asarray(a, dtype=np.intp).copy()
    if n == 0 or k < 2 or max_moves <= 0:
        return a
    cc = np.ascontiguousarray(c, dtype=np.float64)
    dd = np.ascontiguousarray(d, dtype=np.float64)
    r = np.asarray(cap, dtype=np.float64) - np.bincount(a, weights=dd, minlength=k)
    finite = np.isfinite(cc)
    scale = float(np.abs(cc, where=finite, out=np.zeros_like(cc)).max(initial=1.0))
    del finite
    eps = 1e-12 * max(scale, 1.0) * n
    tol = _TOL * max(float(dd.max(initial=0.0)), 1.0)
    head, nxt, prv = _members(a, k)
    out_k = np.empty(n, dtype=np.intp)
    out_d = np.empty(n)
    chunk = 2048

    def late() -> bool:
        return deadline is not None and time.perf_counter() >= deadline

    moves = 0
    while moves < max_moves and not late():
        got = _shift_sweep(cc, dd, r, tol, eps, a, head, nxt, prv, max_moves - moves)
        moves += got
        if got:
            continue
        if not swaps:
            break
        _refresh_out(cc, dd, r, tol, a, out_k, out_d)
        got = 0
        for lo in range(0, n, chunk):
            if moves + got >= max_moves or late():
                break
            got += _pair_sweep(cc, dd, r, tol, eps, a, head, nxt, prv, out_k, out_d,
                               lo, min(n, lo + chunk), max_moves - moves - got)
        moves += got
        if got:
            continue
        if n * k > CHAIN_PAIRS:
            break
        got, _ = _chain_sweep(cc, dd, r, tol, eps, a, head, nxt, prv, CHAIN_DEPTH, CHAIN_BEAM,
                              max_moves - moves, CHAIN_WORK)
        moves += got
        if not got:
            break
    return a


def gap_assign(c: np.ndarray, d: np.ndarray, cap: np.ndarray, *, improve: bool = True,
               swaps: bool = True, fallback: Callable[[], np.ndarray | None] | None = None,
               big: float = math.inf, deadline: float | None = None
               ) -> tuple[np.ndarray, float] | None:
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
    deadline : float, optional
        :func:`time.perf_counter` value after which the local search stops
        (see :func:`improve_assignment`).

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
        a = improve_assignment(c, d, cap, a, swaps=swaps, deadline=deadline)
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
    deadline : float, optional
        :func:`time.perf_counter` value after which the assignment local
        searches stop early.
    """

    def __init__(self, cost: np.ndarray, demand: np.ndarray, capacity: np.ndarray,
                 fixed: np.ndarray, forced: np.ndarray, unassigned: np.ndarray | None,
                 deadline: float | None = None) -> None:
        finite = np.isfinite(cost)
        everywhere = bool(finite.all())
        # largest |cost| per row, without (n, m) temporaries when every pair is allowed
        masked = cost if everywhere else np.where(finite, cost, 0.0)
        row_max = np.maximum(masked.max(axis=1), -masked.min(axis=1))
        self.big = 1.0 + 2.0 * (float(row_max.sum()) + float(np.abs(fixed).sum())
                                + (float(np.abs(unassigned).sum()) if unassigned is not None
                                   else 0.0))
        # the costs, read only (not copied when every pair is allowed)
        self.c = cost if everywhere else np.where(finite, cost, self.big)
        del finite, masked
        self.d = demand
        self.cap = capacity
        self.f = fixed
        self.forced = forced
        self.u = unassigned
        self.n, self.m = cost.shape
        self.deadline = deadline
        #: Optional ``exact_assign(sites) -> (assignment, value) | None``: the
        #: cheapest assignment to ``sites`` (columns as :meth:`sub`'s, value with
        #: fixed costs), used by stuck searches on small problems.
        self.exact_assign: Callable[[np.ndarray], tuple[np.ndarray, float] | None] | None = None

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
        out = gap_assign(c, self.d, cap, fallback=fallback, big=self.big, deadline=self.deadline)
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
        mine = np.flatnonzero(a == pos) if load[pos] > cap[pos] + _TOL * max(load[pos], 1.0) else a[:0]
        r = cap - load
        r[pos] = cap[pos]
        return self._reassign(new, c, cap, b, mine, r)

    def try_drop(self, sites: np.ndarray, a: np.ndarray, pos: int
                 ) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Close ``sites[pos]``; its groups go to the other sites by the regret
        greedy on the room left, then a shift search."""
        new = np.delete(sites, pos)
        c, cap = self.sub(new)
        d = self.d
        b = a.copy()
        b[b > pos] -= 1  # later positions (and the virtual column) move up one
        mine = np.flatnonzero(a == pos)
        b[mine] = 0
        r = cap - np.bincount(b, weights=np.where(a == pos, 0.0, d), minlength=cap.size)
        return self._reassign(new, c, cap, b, mine, r)

    def _reassign(self, new: np.ndarray, c: np.ndarray, cap: np.ndarray, b: np.ndarray,
                  mine: np.ndarray, room: np.ndarray) -> tuple[np.ndarray, np.ndarray, float] | None:
        """The groups ``mine`` placed by the regret greedy in ``room``, then a shift
        search over all: the move to the open sites ``new``, or None."""
        d = self.d
        if mine.size:
            part = _regret_greedy(np.where(c[mine] >= self.big, np.inf, c[mine]), d[mine], room)
            if part is None:
                return None
            b[mine] = part
        b = improve_assignment(c, d, cap, b, max_moves=200, swaps=False, deadline=self.deadline)
        if not np.all(c[np.arange(self.n), b] < self.big):
            return None
        return new, b, self.value(new, c, b)

    def try_add(self, sites: np.ndarray, a: np.ndarray, j: int
                ) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Open ``j`` (last position); a shift search moves the groups to it."""
        k = sites.size
        new = np.append(sites, j)
        c, cap = self.sub(new)
        b = a.copy()
        b[b == k] = k + 1  # the virtual column moves one to the right
        b = improve_assignment(c, self.d, cap, b, max_moves=max(200, self.n), swaps=False,
                               deadline=self.deadline)
        return new, b, self.value(new, c, b)

    def _count_moves(self, sites: np.ndarray, a: np.ndarray, c: np.ndarray, n_cand: int
                     ) -> list[tuple[str, int, int]]:
        """Drop and add moves ranked by their uncapacitated change (free count only)."""
        d1 = c[np.arange(self.n), a]
        moves: list[tuple[float, str, int, int]] = []
        if c.shape[1] > 1:
            # dropping pos: its groups to their best other column (room ignored)
            two = np.partition(c, 1, axis=1)
            for pos in np.flatnonzero(~self.forced[sites]):
                mine = a == pos
                alt = np.where(c[mine, pos] <= two[mine, 0], two[mine, 1], two[mine, 0])
                delta = float((alt - d1[mine]).sum()) - float(self.f[sites[pos]])
                moves.append((delta, "drop", int(pos), -1))
        closed = np.setdiff1d(np.arange(self.m), sites)
        if closed.size:
            gain = np.minimum(self.c[:, closed] - d1[:, None], 0.0).sum(axis=0) + self.f[closed]
            for t in np.argsort(gain)[:n_cand]:
                moves.append((float(gain[t]), "add", -1, int(closed[t])))
        moves.sort(key=lambda x: x[0])
        return [(kind, pos, j) for _, kind, pos, j in moves[: 2 * n_cand]]

    def search(self, sites: np.ndarray, a: np.ndarray, val: float, stop: Callable[[], bool],
               rng: np.random.Generator, n_cand: int = 12, max_rounds: int = 10_000,
               free_count: bool = False) -> tuple[np.ndarray, np.ndarray, float, int]:
        """First-improvement search over swaps (cluster relocations and
        swaps ranked by their uncapacitated delta) and, when the number of
        sites is free, drops and adds; returns the local optimum
        ``(sites, assignment, value, evaluated moves)``."""
        evals = 0
        sites = np.asarray(sites, dtype=np.intp).copy()
        for _ in range(max_rounds):
            if stop():
                break
            c, cap = self.sub(sites)
            cand: list[tuple[str, int, int]] = [("swap", pos, j) for pos, j in
                                                self._candidates(sites, a, c, n_cand, rng)]
            if free_count:
                cand = self._count_moves(sites, a, c, n_cand) + cand
            improved = False
            for kind, pos, j in cand:
                if stop():
                    break
                evals += 1
                if kind == "swap":
                    out = self.try_swap(sites, a, pos, j)
                elif kind == "drop":
                    out = self.try_drop(sites, a, pos)
                else:
                    out = self.try_add(sites, a, j)
                if out is not None and out[2] < val - 1e-9 * max(abs(val), 1.0):
                    sites, a, val = out
                    improved = True
                    break
            if not improved:
                # polish with swaps of groups too, then stop if still stuck
                c, cap = self.sub(sites)
                b = improve_assignment(c, self.d, cap, a, swaps=True, deadline=self.deadline)
                v = self.value(sites, c, b)
                if v < val - 1e-9 * max(abs(val), 1.0):
                    a, val = b, v
                    continue
                if self.n * (sites.size + 1) > FRESH_PAIRS:
                    break
                # small problems: the same moves once more, each assigned afresh
                # (regret greedy + chains and swaps) instead of incrementally
                fresh = self._fresh_round(sites, a, cand, val, stop)
                evals += len(cand)
                if fresh is None:
                    break
                sites, a, val = fresh
        return sites, a, val, evals

    def _fresh_round(self, sites: np.ndarray, a: np.ndarray, cand: list[tuple[str, int, int]],
                     val: float, stop: Callable[[], bool]
                     ) -> tuple[np.ndarray, np.ndarray, float] | None:
        """``cand``'s site sets assigned afresh by the regret greedy and local
        search; then, on small problems with :attr:`exact_assign`, the current
        sites and each of ``cand``'s assigned exactly. The first that beats
        ``val``, or None."""
        def better(v: float) -> bool:
            return v < val - 1e-9 * max(abs(val), 1.0)

        sets = [(kind, pos, j, self._moved(sites, kind, pos, j)) for kind, pos, j in cand]
        for *_, new in sets:
            if stop():
                return None
            out = self.evaluate(new)
            if out is not None and better(out[1]):
                return new, out[0], out[1]
        if self.exact_assign is None or self.n * (sites.size + 2) > EXACT_PAIRS:
            return None
        for new in [sites] + [t[3] for t in sets]:
            if stop():
                return None
            out = self.exact_assign(new)
            if out is not None and better(out[1]):
                return new, out[0], out[1]
        return None

    @staticmethod
    def _moved(sites: np.ndarray, kind: str, pos: int, j: int) -> np.ndarray:
        """The open sites after a swap, drop or add."""
        if kind == "swap":
            new = sites.copy()
            new[pos] = j
            return new
        if kind == "drop":
            return np.delete(sites, pos)
        return np.append(sites, j)

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
        mc, g, h = _move_tables(cc, closed_idx.astype(np.intp), np.asarray(a, dtype=np.intp),
                                n1.astype(np.intp), np.ascontiguousarray(d1, dtype=float),
                                np.ascontiguousarray(d2, dtype=float), k)
        mc += self.f[closed_idx][None, :]
        load = np.bincount(a, weights=d, minlength=k + 1)[:k]
        in_site = a < k
        here = np.bincount(a[in_site], weights=c[np.flatnonzero(in_site), a[in_site]],
                           minlength=k) + self.f[sites]
        room = self.cap[closed_idx][None, :] >= load[:, None] - _TOL * max(load.max(), 1.0)
        reloc = np.where(room, mc - here[:, None], np.inf)[movable]
        delta = (g[None, :] + h[movable] + self.f[closed_idx][None, :]
                 - self.f[sites[movable]][:, None])
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


def round_split(c: np.ndarray, d: np.ndarray, cap: np.ndarray, rows: np.ndarray,
                cols: np.ndarray, x: np.ndarray, *, big: float = math.inf,
                deadline: float | None = None) -> tuple[np.ndarray, float] | None:
    """Single-source assignment from a split one (e.g. a transportation LP's).

    A basic LP solution splits at most ``k`` groups: every group served
    whole by one column keeps it, the split ones are placed by the regret
    greedy on the capacity left, then :func:`improve_assignment` runs. With
    many small groups the result is within a few hundredths of a percent of
    the split plan's cost.

    Parameters
    ----------
    c, d, cap, big, deadline : see :func:`gap_assign`.
    rows, cols, x : numpy.ndarray
        The split assignment as triplets: group ``rows[t]`` gets share
        ``x[t]`` of its demand at column ``cols[t]`` of ``c``.

    Returns
    -------
    tuple or None
        ``(assignment, cost)``; ``None`` when the split groups do not fit.
    """
    n, k = c.shape
    a = np.full(n, -1, dtype=np.intp)
    whole = x > 1.0 - 1e-7
    a[rows[whole]] = cols[whole]
    left = np.flatnonzero(a < 0)
    if left.size:
        kept = a >= 0
        room = np.asarray(cap, dtype=float) - np.bincount(a[kept], weights=d[kept], minlength=k)
        part = _regret_greedy(np.where(c[left] < big, c[left], np.inf), d[left], room)
        if part is None:
            return None
        a[left] = part
    a = improve_assignment(c, d, cap, a, swaps=True, deadline=deadline)
    got = c[np.arange(n), a]
    if not np.all(got < big):
        return None
    return a, float(got.sum())
