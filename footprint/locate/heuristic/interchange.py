"""Compiled fast interchange and iterated local search (uncapacitated).

Numba kernels for the vertex-substitution local search of Resende & Werneck
("A fast swap-based local search procedure for location problems", Annals
of OR 150, 2007) on an ``(n, m)`` cost matrix: ``n`` demand groups, ``m``
candidate sites, an always-available virtual "unassigned" site per group,
opening costs, forced-open sites and a fixed or free number of open sites.

For every group ``i`` the state keeps its nearest and second-nearest open
site (``n1``, ``n2``, costs ``d1``, ``d2``; index ``m`` is the virtual site).
From them, three arrays give the change of the objective of every move::

    gain[x]     = sum_i max(d1[i] - c[i, x], 0)
    loss[r]     = sum_{i: n1[i] = r} (d2[i] - d1[i])
    extra[r, x] = sum_{i: n1[i] = r} (min(max(c[i, x], d1[i]), d2[i]) - d2[i])

so that opening ``x`` changes the objective by ``f[x] - gain[x]``, closing
``r`` by ``loss[r] - f[r]`` and swapping (close ``r``, open ``x``) by
``f[x] - gain[x] + loss[r] - f[r] + extra[r, x]``. A move only touches the
groups whose nearest or second-nearest site changes; each group visits its
sites in increasing cost order up to ``d2`` (the ``K`` cheapest sites of
every row are sorted, the rest is scanned when a row needs it), so a move
costs about ``O(affected groups * m / p)``. A full descent step scans the
nonzero entries of ``extra`` (enumerated group by group, or the dense block
when few sites are open), keeps the best swap of every open site and, after
the best move, applies the other still-improving ones (re-checked in
``O(1)`` from the updated bookkeeping).

On top of it, :meth:`FastSwap.iterate` runs an iterated local search:
``k`` random moves (swaps, some to a site near a client of the removed one;
adds and drops when the number of sites is free), a descent that only
looks at the groups this round touched (a full descent confirms every
improvement), acceptance of equal or better solutions (plateau walk), ``k``
cycling from 1 to ``kmax`` and randomised-greedy restarts. It stops on
patience counted in perturbations and in work units (elementary kernel
steps, a deterministic stand-in for time), so that a seed always gives the
same answer; the caller may also stop it between chunks of a few
milliseconds (clock, progress callback).

The kernels are compiled with numba's reference counting switched off
(they never allocate): otherwise every call of a row helper with array
arguments pays atomic reference-count updates worth more than the helper.

All costs are in the caller's cost units; nothing here measures time.

May import numpy and numba only (it works on plain arrays, not on a problem object).
"""

from __future__ import annotations

from collections.abc import Callable

import numba as nb
import numpy as np

__all__ = ["FastSwap", "ILS_PARAMS"]

#: Default iterated-local-search parameters (see :meth:`FastSwap.iterate`).
ILS_PARAMS: dict[str, float] = {
    "kmax": 15,  # largest number of random moves in one perturbation,
    "kfrac": 0.3,  # ... and at most this share of the open sites
    "near_prob": 0.3,  # chance that a perturbing swap inserts a nearby site
    "near_k": 10,  # "nearby" = among the near_k cheapest sites of a client
    "patience": 400,  # stop after this many perturbations without improvement,
    "patience_per_site": 2.5,  # or this many per open site (at least
    "patience_min": 10,  # this many) once the work without improvement
    "short_work_min": 2e6,  # exceeds this many work units,
    "work_patience": 10.0,  # or after this many n*m work units without improvement
    "work_patience_min": 6e6,  # (at least this many work units),
    "max_work": 12.0,  # or after this many n*m work units in all
    "max_work_min": 1e7,  # (at least this many work units)
    "restart": 250,  # randomised-greedy restart after this many failures
    "greedy_top": 3,  # restarts pick at random among the top few adds
    "refresh": 100,  # rebuild the bookkeeping every this many perturbations
    "multi": 1,  # apply every still-improving swap of a descent scan
    "local": 1,  # descend after a perturbation only near the touched groups
}

# integer counters of the search state (``ints`` array)
(_NOPEN, _TOTCNT, _HLEN, _IT, _SINCE, _STALL, _K, _WORK, _RESTARTS, _IMPROVED,
 _WLAST, _NT, _TRACK, _W0, _SID) = range(15)
_N_INTS = 15


def _kernel(fn: Callable) -> Callable:
    """Compile ``fn`` with numba (cached) without reference counting.

    No kernel allocates; without this, every call of a helper with array
    arguments inside a loop pays atomic reference-count updates, which
    cost far more than the helper itself.
    """
    try:
        return nb.njit(cache=True, _nrt=False)(fn)
    except KeyError:  # a numba without this private option: slower, same results
        return nb.njit(cache=True)(fn)


_U12 = np.uint64(12)
_U25 = np.uint64(25)
_U27 = np.uint64(27)
_U11 = np.uint64(11)
_MUL = np.uint64(2685821657736338717)


# ------------------------------------------------------------------ random
@_kernel
def _next(rng):
    """Next 64-bit output of a xorshift64* generator (state ``rng[0]`` != 0)."""
    x = rng[0]
    x ^= x >> _U12
    x ^= x << _U25
    x ^= x >> _U27
    rng[0] = x
    return x * _MUL


@_kernel
def _randint(rng, k):
    """Uniform integer in ``[0, k)``."""
    return np.int64((_next(rng) >> _U11) % np.uint64(k))


@_kernel
def _random(rng):
    """Uniform float in ``[0, 1)``."""
    return np.float64(_next(rng) >> _U11) * (1.0 / 9007199254740992.0)


# ------------------------------------------------------------------ setup
@_kernel
def _transpose(c, out):
    """``out[:] = c.T`` (blocked copy)."""
    n, m = c.shape
    for i0 in range(0, n, 32):
        for j0 in range(0, m, 32):
            for i in range(i0, min(i0 + 32, n)):
                for j in range(j0, min(j0 + 32, m)):
                    out[j, i] = c[i, j]


@nb.njit(cache=True)
def _gather_prefix(c, o, k, order, sc):
    """``order``/``sc`` from a row-wise (arg)partition ``o``: the first ``k``
    entries of each row sorted by cost, the rest as they come."""
    n, m = o.shape
    vals = np.empty(k)
    for r in range(n):
        for t in range(k):
            vals[t] = c[r, o[r, t]]
        idx = np.argsort(vals) if k < m else np.arange(k)
        for t in range(k):
            order[r, t] = o[r, idx[t]]
            sc[r, t] = vals[idx[t]]
        for t in range(k, m):
            order[r, t] = o[r, t]


def _sorted_prefix(c: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: all sites, the ``k`` cheapest first in increasing cost order.

    Returns ``order`` ``(n, m)`` int32 (after column ``k`` in no particular
    order) and ``sc`` ``(n, k)``, the sorted costs [cost units]. Rows are
    sorted in blocks to keep numpy's int64 temporaries small.
    """
    n, m = c.shape
    order = np.empty((n, m), dtype=np.int32)
    sc = np.empty((n, k), dtype=np.float64)
    step = max(1, (1 << 18) // m)
    for r0 in range(0, n, step):
        block = c[r0:r0 + step]
        o = np.argsort(block, axis=1) if k >= m else np.argpartition(block, k - 1, axis=1)
        _gather_prefix(block, o, k, order[r0:r0 + step], sc[r0:r0 + step])
    return order, sc


@_kernel
def _abs_sum(c):
    """Sum of ``|c|`` without a temporary array."""
    total = 0.0
    for i in range(c.shape[0]):
        for j in range(c.shape[1]):
            total += abs(c[i, j])
    return total


# ------------------------------------------------------------------ state
# Row helpers take plain arrays (no tuple unpacking): unpacking the state
# tuples in an inner loop costs a reference-count update per array.
@_kernel
def _nearest_row(c, u, order, sc, is_open, n1, n2, d1, d2, r):
    """Recompute ``n1, n2, d1, d2`` of group ``r``; returns the sites visited."""
    m = c.shape[1]
    kk = sc.shape[1]
    ur = u[r]
    j1 = m
    j2 = m
    c1 = ur
    c2 = ur
    found = 0
    t = 0
    while t < kk:
        v = sc[r, t]
        if v > ur:
            break
        x = order[r, t]
        t += 1
        if is_open[x]:
            if found == 0:
                j1 = x
                c1 = v
                found = 1
            else:
                j2 = x
                c2 = v
                found = 2
                break
    if t == kk and found < 2 and kk < m:  # unsorted tail: plain scan
        for s in range(kk, m):
            x = order[r, s]
            if not is_open[x]:
                continue
            v = c[r, x]
            if v > ur:
                continue
            if found == 0:
                j1 = x
                c1 = v
                found = 1
            elif found == 1 or v < c2:
                if v < c1:
                    j2 = j1
                    c2 = c1
                    j1 = x
                    c1 = v
                else:
                    j2 = x
                    c2 = v
                found = 2
        t = m
    n1[r] = j1
    d1[r] = c1
    n2[r] = j2
    d2[r] = c2
    return t + 1


@_kernel
def _contrib_row(c, forced, order, sc, n1, d1, d2, gain, loss, extra, cnt, r, sign):
    """Add (``sign`` = 1) or remove (-1) group ``r``'s share of gain/loss/extra.

    Returns ``(sites visited, change of the total list length)``.
    """
    m = c.shape[1]
    kk = sc.shape[1]
    a = d1[r]
    b = d2[r]
    i = n1[r]
    keep = i < m and not forced[i]  # extra only matters for closable sites
    if i < m:
        loss[i] += sign * (b - a)
    t = 0
    dtot = 0
    if keep:
        while t < kk:
            v = sc[r, t]
            if v >= b:
                break
            x = order[r, t]
            if v < a:
                gain[x] += sign * (a - v)
                extra[i, x] += sign * (a - b)
            else:
                extra[i, x] += sign * (v - b)
            t += 1
        if t == kk and kk < m:  # unsorted tail
            for s in range(kk, m):
                x = order[r, s]
                v = c[r, x]
                if v >= b:
                    continue
                if v < a:
                    gain[x] += sign * (a - v)
                    extra[i, x] += sign * (a - b)
                else:
                    extra[i, x] += sign * (v - b)
            t = m
        if sign > 0:
            cnt[r] = t
            dtot = t
        else:
            dtot = -cnt[r]
            cnt[r] = 0
    else:
        while t < kk:
            v = sc[r, t]
            if v >= a:
                break
            gain[order[r, t]] += sign * (a - v)
            t += 1
        if t == kk and kk < m:
            for s in range(kk, m):
                x = order[r, s]
                v = c[r, x]
                if v < a:
                    gain[x] += sign * (a - v)
            t = m
        cnt[r] = 0
    return t + 1, dtot


@_kernel
def _merge_site(gain, extra, x, v, oi, oa, ob, okeep, ni, na, nb, nkeep, same):
    """Replace one site's share of group data ``(oi, oa, ob)`` by ``(ni, na, nb)``."""
    go = oa - v if v < oa else 0.0
    gn = na - v if v < na else 0.0
    if gn != go:
        gain[x] += gn - go
    eo = 0.0
    if okeep and v < ob:
        eo = (oa - ob) if v < oa else (v - ob)
    en = 0.0
    if nkeep and v < nb:
        en = (na - nb) if v < na else (v - nb)
    if same:
        if en != eo:
            extra[oi, x] += en - eo
    else:
        if eo != 0.0:
            extra[oi, x] -= eo
        if en != 0.0:
            extra[ni, x] += en


@_kernel
def _merge_row(c, forced, order, sc, n1, d1, d2, gain, loss, extra, cnt, r, oi, oa, ob,
               ocnt):
    """Update gain/loss/extra of group ``r`` from its old nearest data
    ``(oi, oa, ob)`` (``ocnt`` sites in its list) to the current one, in a
    single pass over its sites.

    Returns ``(sites visited, change of the total list length)``.
    """
    m = c.shape[1]
    kk = sc.shape[1]
    ni = n1[r]
    na = d1[r]
    nb = d2[r]
    okeep = oi < m and not forced[oi]
    nkeep = ni < m and not forced[ni]
    if oi < m:
        loss[oi] -= ob - oa
    if ni < m:
        loss[ni] += nb - na
    same = okeep and nkeep and oi == ni
    olim = ob if okeep else oa
    nlim = nb if nkeep else na
    lim = olim if olim > nlim else nlim
    ncnt = -1
    t = 0
    while t < kk:
        v = sc[r, t]
        if v >= lim:
            break
        if ncnt < 0 and v >= nb:
            ncnt = t
        _merge_site(gain, extra, order[r, t], v, oi, oa, ob, okeep, ni, na, nb, nkeep,
                    same)
        t += 1
    if t == kk and kk < m:  # unsorted tail
        for q in range(kk, m):
            x = order[r, q]
            v = c[r, x]
            if v < lim:
                _merge_site(gain, extra, x, v, oi, oa, ob, okeep, ni, na, nb, nkeep,
                            same)
        if ncnt < 0 and sc[r, kk - 1] < nb:
            ncnt = m
        t = m
    if ncnt < 0:
        ncnt = t
    dtot = 0
    if okeep:
        dtot -= ocnt
    if nkeep:
        cnt[r] = ncnt
        dtot += ncnt
    else:
        cnt[r] = 0
    return t + 1, dtot


@_kernel
def _reset(P, S, mask):
    """Rebuild the whole state for the open sites ``mask`` (bool, ``(m,)``)."""
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    n, m = c.shape
    k = 0
    for x in range(m):
        is_open[x] = mask[x]
        if mask[x]:
            lst[k] = x
            pos[x] = k
            k += 1
    ints[_NOPEN] = k
    for x in range(m):
        if not mask[x]:
            lst[k] = x
            pos[x] = k
            k += 1
    gain[:] = 0.0
    loss[:] = 0.0
    extra[:, :] = 0.0
    cnt[:] = 0
    ints[_TOTCNT] = 0
    ints[_WORK] += m * m // 16
    work = 0
    tot = 0
    for r in range(n):
        work += _nearest_row(c, u, order, sc, is_open, n1, n2, d1, d2, r)
        w, dt = _contrib_row(c, forced, order, sc, n1, d1, d2, gain, loss, extra, cnt, r,
                             1.0)
        work += w
        tot += dt
    ints[_TOTCNT] = tot
    ints[_WORK] += work


@_kernel
def _set_open(is_open, lst, pos, ints, x, state):
    """Flip site ``x`` in ``is_open`` and the open/closed list."""
    if is_open[x] == state:
        return
    k = ints[_NOPEN]
    slot = k if state else k - 1  # first closed / last open slot
    y = lst[slot]
    px = pos[x]
    lst[px] = y
    pos[y] = px
    lst[slot] = x
    pos[x] = slot
    ints[_NOPEN] = k + 1 if state else k - 1
    is_open[x] = state


@_kernel
def _apply(P, S, rows, add, drop):
    """Open ``add`` and/or close ``drop`` (-1 = none), updating incrementally."""
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    n = c.shape[0]
    k = 0
    if add >= 0:
        col = cT[add]
        for r in range(n):
            if col[r] < d2[r] or n1[r] == drop or n2[r] == drop:
                rows[k] = r
                k += 1
    else:
        for r in range(n):
            if n1[r] == drop or n2[r] == drop:
                rows[k] = r
                k += 1
    ints[_WORK] += n // 4 + 1
    if ints[_TRACK]:
        nt = ints[_NT]
        for t in range(k):
            r = rows[t]
            if not touched[r]:
                touched[r] = True
                tlist[nt] = r
                nt += 1
        ints[_NT] = nt
    if add >= 0:
        _set_open(is_open, lst, pos, ints, add, True)
    if drop >= 0:
        _set_open(is_open, lst, pos, ints, drop, False)
    work = 0
    tot = 0
    for t in range(k):
        r = rows[t]
        oi = n1[r]
        oa = d1[r]
        ob = d2[r]
        work += _nearest_row(c, u, order, sc, is_open, n1, n2, d1, d2, r)
        w, dt = _merge_row(c, forced, order, sc, n1, d1, d2, gain, loss, extra, cnt, r,
                           oi, oa, ob, cnt[r])
        work += w
        tot += dt
    ints[_TOTCNT] += tot
    ints[_WORK] += work


@_kernel
def _objective(P, S):
    """Current objective [cost units]: opening costs + nearest costs."""
    f = P[3]
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    total = 0.0
    for t in range(ints[_NOPEN]):
        total += f[lst[t]]
    for r in range(d1.shape[0]):
        total += d1[r]
    return total


# ------------------------------------------------------------------ moves
@_kernel
def _single_moves(P, S, p, eps, a):
    """Opening deltas and the cheapest add and drop.

    Fills ``a[x] = f[x] - gain[x]`` for closed sites (``inf`` for open
    ones). Returns ``(delta, add, drop, amin, xmin, lmin, imin, n_free)``:
    the best add or drop move better than ``-eps`` when the number of sites
    is free (``add``/``drop`` -1 if none), the cheapest opening ``amin`` at
    ``xmin``, the cheapest closing ``lmin`` at ``imin`` and the number of
    open sites that may close.
    """
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    m = c.shape[1]
    nopen = ints[_NOPEN]
    best = -eps
    badd = -1
    bdrop = -1
    amin = np.inf
    xmin = -1
    for s in range(nopen, m):
        x = lst[s]
        v = f[x] - gain[x]
        a[x] = v
        if v < amin:
            amin = v
            xmin = x
    lmin = np.inf
    imin = -1
    nnf = 0
    for t in range(nopen):
        i = lst[t]
        a[i] = np.inf
        if not forced[i]:
            nnf += 1
            v = loss[i] - f[i]
            if v < lmin:
                lmin = v
                imin = i
    ints[_WORK] += m
    if p < 0:  # free number of sites: add and drop moves
        if amin < best:
            best = amin
            badd = xmin
            bdrop = -1
        if lmin < best:
            best = lmin
            badd = -1
            bdrop = imin
    return best, badd, bdrop, amin, xmin, lmin, imin, nnf


@_kernel
def _scan(P, S, p, eps, a, bx, bv, cand):
    """Best improving move and the best swap of every open site.

    Returns ``(delta, add, drop, n_cand)``: the best move better than
    ``-eps`` (add/drop -1 if none) and, in ``cand[:n_cand]``, the open
    sites ``i`` whose best swap (close ``i``, open ``bx[i]``, change
    ``bv[i]``) improves. ``a`` is an ``(m,)`` work array.
    """
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    n, m = c.shape
    kk = sc.shape[1]
    nopen = ints[_NOPEN]
    best, badd, bdrop, amin, xmin, lmin, imin, nnf = _single_moves(P, S, p, eps, a)
    if nnf == 0 or nopen == m:
        return best, badd, bdrop, 0
    # swaps: (i, xmin) for every i (pairs with extra = 0 are no better) ...
    for t in range(nopen):
        i = lst[t]
        if not forced[i]:
            bv[i] = loss[i] - f[i] + amin + extra[i, xmin]
            bx[i] = xmin
    # ... and the pairs with a nonzero extra term
    dense = nnf * (m - nopen)
    if ints[_TOTCNT] < dense:
        for r in range(n):
            k = cnt[r]
            if k == 0:
                continue
            i = n1[r]
            li = loss[i] - f[i]
            row = extra[i]
            vb = bv[i]
            xb = bx[i]
            for t in range(min(k, kk)):
                x = order[r, t]
                v = li + a[x] + row[x]
                if v < vb:
                    vb = v
                    xb = x
            if k > kk:
                for t in range(kk, m):
                    x = order[r, t]
                    v = li + a[x] + row[x]
                    if v < vb:
                        vb = v
                        xb = x
            bv[i] = vb
            bx[i] = xb
        ints[_WORK] += ints[_TOTCNT] + n
    else:
        for t in range(nopen):
            i = lst[t]
            if forced[i]:
                continue
            li = loss[i] - f[i]
            row = extra[i]
            vb = bv[i]
            xb = bx[i]
            for s in range(nopen, m):
                x = lst[s]
                v = li + a[x] + row[x]
                if v < vb:
                    vb = v
                    xb = x
            bv[i] = vb
            bx[i] = xb
        ints[_WORK] += dense
    nc = 0
    for t in range(nopen):
        i = lst[t]
        if forced[i]:
            continue
        v = bv[i]
        if v < -eps:
            cand[nc] = i
            nc += 1
            if v < best:
                best = v
                badd = bx[i]
                bdrop = i
    return best, badd, bdrop, nc


@_kernel
def _push(S, hist, add, drop):
    """Record a move for :func:`_undo` (an overflow makes ``_HLEN`` too big)."""
    ints = S[11]
    h = ints[_HLEN]
    if h >= hist.shape[0]:
        ints[_HLEN] = hist.shape[0] + 1  # overflow marker
        return
    hist[h, 0] = add
    hist[h, 1] = drop
    ints[_HLEN] = h + 1


@_kernel
def _apply_rest(P, S, W, eps, nc, drop):
    """After a scan's best move, apply the other candidates' best swaps
    (``cand[:nc]``, best first) that still improve; returns their count."""
    f = P[3]
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    for t in range(1, nc):  # insertion sort of cand by bv (short lists)
        i = cand[t]
        v = bv[i]
        q = t
        while q > 0 and bv[cand[q - 1]] > v:
            cand[q] = cand[q - 1]
            q -= 1
        cand[q] = i
    moves = 0
    for t in range(nc):
        i = cand[t]
        x = bx[i]
        if i == drop or not is_open[i] or is_open[x]:
            continue
        v = loss[i] - f[i] + f[x] - gain[x] + extra[i, x]
        if v < -eps:
            _apply(P, S, rows, x, i)
            _push(S, hist, x, i)
            moves += 1
    return moves


@_kernel
def _descend(P, S, p, eps, W, multi):
    """Apply improving moves until none improves; returns the move count.

    Each scan applies its best move and, with ``multi``, then every other
    open site's best swap that still improves (best first).
    """
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    moves = 0
    while True:
        delta, add, drop, nc = _scan(P, S, p, eps, a, bx, bv, cand)
        if add < 0 and drop < 0:
            break
        _apply(P, S, rows, add, drop)
        _push(S, hist, add, drop)
        moves += 1
        if multi and nc > 1:
            moves += _apply_rest(P, S, W, eps, nc, drop)
    return moves


@_kernel
def _scan_local(P, S, p, eps, W):
    """Best improving move near the groups touched in this round.

    Like :func:`_scan` but the swaps are only looked for among the pairs
    that the touched groups make interesting: close the nearest site ``i``
    of a touched group and open a site of its cost list (below ``d2``), or
    the best partner of either by the separable bound. Much cheaper than a
    full scan after a few moves; not a proof of local optimality. Returns
    ``(delta, add, drop, n_cand)`` like :func:`_scan`.
    """
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    m = c.shape[1]
    kk = sc.shape[1]
    best, badd, bdrop, amin, xmin, lmin, imin, _ = _single_moves(P, S, p, eps, a)
    if imin < 0 or xmin < 0:
        return best, badd, bdrop, 0
    ints[_SID] += 1
    sid = ints[_SID]
    stamp[imin] = sid
    bv[imin] = lmin + amin + extra[imin, xmin]
    bx[imin] = xmin
    nc = 1
    cand[0] = imin
    rowmin = extra[imin]
    vmin = bv[imin]  # best swap closing imin
    xbest = xmin
    work = 0
    for q in range(ints[_NT]):
        r = tlist[q]
        k = cnt[r]
        if k == 0:
            continue
        i = n1[r]
        li = loss[i] - f[i]
        row = extra[i]
        if stamp[i] != sid:
            stamp[i] = sid
            bv[i] = li + amin + row[xmin]
            bx[i] = xmin
            cand[nc] = i
            nc += 1
        vb = bv[i]
        xb = bx[i]
        top = k if k <= kk else m
        for t in range(top):
            x = order[r, t]
            ax = a[x]
            v = li + ax + row[x]
            if v < vb:
                vb = v
                xb = x
            v = lmin + ax + rowmin[x]
            if v < vmin:
                vmin = v
                xbest = x
        bv[i] = vb
        bx[i] = xb
        work += top
    ints[_WORK] += 2 * work
    if vmin < bv[imin]:
        bv[imin] = vmin
        bx[imin] = xbest
    k = 0  # keep the improving candidates only
    for t in range(nc):
        i = cand[t]
        v = bv[i]
        if v < -eps:
            cand[k] = i
            k += 1
            if v < best:
                best = v
                badd = bx[i]
                bdrop = i
    return best, badd, bdrop, k


@_kernel
def _descend_local(P, S, p, eps, W, multi):
    """Descent with :func:`_scan_local`; returns the number of moves."""
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    ints, tlist, cnt = S[11], S[13], S[8]
    moves = 0
    while True:
        size = 0
        for q in range(ints[_NT]):
            size += cnt[tlist[q]]
        if 2 * size > ints[_TOTCNT]:  # the local scan would cost more
            delta, add, drop, nc = _scan(P, S, p, eps, a, bx, bv, cand)
        else:
            delta, add, drop, nc = _scan_local(P, S, p, eps, W)
        if add < 0 and drop < 0:
            break
        _apply(P, S, rows, add, drop)
        _push(S, hist, add, drop)
        moves += 1
        if multi and nc > 1:
            moves += _apply_rest(P, S, W, eps, nc, drop)
    return moves


@_kernel
def _track(S, on):
    """Start (clearing the touched groups) or stop tracking touched groups."""
    ints, touched, tlist = S[11], S[12], S[13]
    for q in range(ints[_NT]):
        touched[tlist[q]] = False
    ints[_NT] = 0
    ints[_TRACK] = 1 if on else 0


@_kernel
def _undo(P, S, rows, hist, mark):
    """Revert the moves logged since ``ints[_HLEN] == mark``."""
    ints = S[11]
    h = ints[_HLEN]
    while h > mark:
        h -= 1
        _apply(P, S, rows, hist[h, 1], hist[h, 0])
    ints[_HLEN] = mark


@_kernel
def _greedy_walk(c, order, sc, r, best, gtmp, sign, newv):
    """``gtmp[x] += sign * (best - c) + max(newv - c, 0)`` over the sites with
    cost below ``best`` in row ``r``; returns the number of sites visited."""
    m = c.shape[1]
    kk = sc.shape[1]
    t = 0
    while t < kk:
        s = sc[r, t]
        if s >= best:
            break
        nv = newv - s
        gtmp[order[r, t]] += sign * (best - s) + (nv if nv > 0.0 else 0.0)
        t += 1
    if t == kk and kk < m:
        for q in range(kk, m):
            x = order[r, q]
            s = c[r, x]
            if s < best:
                nv = newv - s
                gtmp[x] += sign * (best - s) + (nv if nv > 0.0 else 0.0)
        t = m
    return t


@_kernel
def _greedy(P, S, p, eps, rng, top, W):
    """Greedy construction from the forced sites, then a full state rebuild.

    With ``top`` > 1, each step opens one of the ``top`` best sites at
    random (only improving ones when the number of sites is free).
    ``W`` holds the work arrays.
    """
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    cval = a
    c, cT, u, f, forced, order, sc = P
    is_open = S[0]
    n, m = c.shape
    count = 0
    for x in range(m):
        is_open[x] = forced[x]
        gtmp[x] = 0.0
        count += forced[x]
    work = 0
    for r in range(n):
        best = u[r]
        for x in range(m):
            if forced[x] and c[r, x] < best:
                best = c[r, x]
        d1tmp[r] = best
        work += _greedy_walk(c, order, sc, r, best, gtmp, 1.0, -np.inf) + 1
    top = max(1, min(top, m))
    while True:
        if (p >= 0 and count >= p) or count >= m:
            break
        k = 0  # the top-k smallest deltas, sorted
        for x in range(m):
            if is_open[x]:
                continue
            v = f[x] - gtmp[x]
            if k < top or v < cval[k - 1]:
                if k < top:
                    k += 1
                s = k - 1
                while s > 0 and cval[s - 1] > v:
                    cval[s] = cval[s - 1]
                    cand[s] = cand[s - 1]
                    s -= 1
                cval[s] = v
                cand[s] = x
        work += m
        if p < 0:
            while k > 0 and cval[k - 1] >= -eps:
                k -= 1
        if k == 0:
            break
        j = cand[0] if k == 1 else cand[_randint(rng, k)]
        is_open[j] = True
        count += 1
        col = cT[j]
        for r in range(n):
            v = col[r]
            if v < d1tmp[r]:
                work += _greedy_walk(c, order, sc, r, d1tmp[r], gtmp, -1.0, v)
                d1tmp[r] = v
        work += n
    for x in range(m):
        mask[x] = is_open[x]
    _reset(P, S, mask)
    S[11][_WORK] += work


@_kernel
def _perturb(P, S, p, rng, strength, near_prob, near_k, rows, hist):
    """Apply ``strength`` random moves (logged in ``hist``)."""
    c, cT, u, f, forced, order, sc = P
    is_open, n1, n2, d1, d2, gain, loss, extra, cnt, lst, pos, ints, touched, tlist = S
    n, m = c.shape
    for _ in range(strength):
        nopen = ints[_NOPEN]
        nnf = 0
        for t in range(nopen):
            if not forced[lst[t]]:
                rows[nnf] = lst[t]  # rows doubles as a scratch list here
                nnf += 1
        nclosed = m - nopen
        can_swap = nnf > 0 and nclosed > 0
        can_add = p < 0 and nclosed > 0
        can_drop = p < 0 and nnf > 0
        nk = int(can_swap) + int(can_add) + int(can_drop)
        if nk == 0:
            return
        pick = _randint(rng, nk)
        if can_swap and pick == 0:
            kind = 0
        elif can_add and pick == int(can_swap):
            kind = 1
        else:
            kind = 2
        drop = -1
        add = -1
        if kind != 1:
            drop = rows[_randint(rng, nnf)]
        if kind == 0 and _random(rng) < near_prob:
            nc = 0  # a random client of the removed site ...
            for r in range(n):
                if n1[r] == drop:
                    rows[nc] = r
                    nc += 1
            ints[_WORK] += n // 4
            if nc > 0:
                r = rows[_randint(rng, nc)]
                nz = 0  # ... and one of its cheapest closed sites
                for t in range(min(near_k, sc.shape[1])):
                    x = order[r, t]
                    if not is_open[x]:
                        rows[nz] = x
                        nz += 1
                if nz > 0:
                    add = rows[_randint(rng, nz)]
        if add < 0 and kind != 2:
            add = lst[nopen + _randint(rng, nclosed)]
        _apply(P, S, rows, add, drop)
        _push(S, hist, add, drop)


@_kernel
def _save_best(S, best_open, best_obj, obj):
    is_open = S[0]
    for x in range(is_open.shape[0]):
        best_open[x] = is_open[x]
    best_obj[0] = obj


@_kernel
def _ils(P, S, W, p, eps, rng, best_open, best_obj, chunk, limits, kmax, near_prob,
         near_k, restart, top, refresh, multi, local):
    """Run up to ``chunk`` perturbations of the iterated local search.

    With ``local``, the descent after a perturbation only looks near the
    groups the round touched (:func:`_scan_local`); a full descent then
    confirms every improvement. ``limits`` holds ``max_iter``, the
    patience (perturbations without improvement), a short patience that
    applies once the work without improvement exceeds ``work_floor``, that
    floor, the work patience and the total work limit (work units). Returns
    1 when the search is over, 0 when it may continue.
    """
    max_iter, patience, short, work_floor, work_patience, max_work = (
        limits[0], limits[1], limits[2], limits[3], limits[4], limits[5])
    ints = S[11]
    rows, a, bx, bv, cand, hist, gtmp, d1tmp, mask, stamp = W
    done = 0
    while done < chunk:
        idle = ints[_WORK] - ints[_WLAST]
        if (ints[_IT] >= max_iter or ints[_STALL] >= patience or idle > work_patience
                or (ints[_STALL] >= short and idle > work_floor)
                or ints[_WORK] - ints[_W0] > max_work):
            return 1
        ints[_IT] += 1
        ints[_STALL] += 1
        done += 1
        ints[_HLEN] = 0
        if ints[_SINCE] >= restart:  # restart from a randomised greedy
            _track(S, False)
            _greedy(P, S, p, eps, rng, top, W)
            _descend(P, S, p, eps, W, multi)
            ints[_SINCE] = 0
            ints[_RESTARTS] += 1
            obj = _objective(P, S)
            if obj < best_obj[0] - eps:
                _save_best(S, best_open, best_obj, obj)
                ints[_STALL] = 0
                ints[_IMPROVED] += 1
                ints[_WLAST] = ints[_WORK]
            else:
                _reset(P, S, best_open)
            continue
        if ints[_IT] % refresh == 0:
            _track(S, False)
            _reset(P, S, best_open)  # clear floating-point drift
            if local:  # plateau moves were only checked locally
                _descend(P, S, p, eps, W, multi)
                obj = _objective(P, S)
                if obj < best_obj[0] - eps:
                    ints[_IMPROVED] += 1
                    ints[_STALL] = 0
                    ints[_WLAST] = ints[_WORK]
                _save_best(S, best_open, best_obj, min(obj, best_obj[0]))
                ints[_HLEN] = 0
        _track(S, local)
        _perturb(P, S, p, rng, ints[_K], near_prob, near_k, rows, hist)
        if local:
            _descend_local(P, S, p, eps, W, multi)
        else:
            _descend(P, S, p, eps, W, multi)
        obj = _objective(P, S)
        if local and obj < best_obj[0] - eps:
            _track(S, False)
            _descend(P, S, p, eps, W, multi)
            obj = _objective(P, S)
        if obj < best_obj[0] - eps:
            _save_best(S, best_open, best_obj, obj)
            ints[_SINCE] = 0
            ints[_STALL] = 0
            ints[_K] = 1
            ints[_IMPROVED] += 1
            ints[_WLAST] = ints[_WORK]
        else:
            if obj <= best_obj[0] + eps:  # plateau: walk on
                _save_best(S, best_open, best_obj, best_obj[0])
            elif ints[_HLEN] > hist.shape[0]:  # log overflowed
                _reset(P, S, best_open)
            else:
                _undo(P, S, rows, hist, 0)
            ints[_SINCE] += 1
            ints[_K] = ints[_K] + 1 if ints[_K] < kmax else 1
    _track(S, False)
    return 0


# ------------------------------------------------------------------ Python API
class FastSwap:
    """Local-search state over the open sites of an uncapacitated problem.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(n, m)`` cost of serving group ``i`` from site ``j`` [cost units],
        already weighted; forbidden pairs replaced by a large finite penalty.
    unassigned : numpy.ndarray
        ``(n,)`` cost of the always-available virtual "unserved" site
        [cost units] (the same penalty when unserved is not allowed).
    fixed : numpy.ndarray
        ``(m,)`` opening costs [cost units].
    p : int or None
        Exact number of open sites, or None for free (add/drop moves).
    forced : numpy.ndarray
        ``(m,)`` bool, sites that may never close.
    seed : int
        Seed of the internal random generator (deterministic search).
    sorted_prefix : int, optional
        Number of cheapest sites kept sorted per row (default: about
        ``8 m / p``, all when ``p`` is free or small).
    """

    def __init__(self, cost: np.ndarray, unassigned: np.ndarray, fixed: np.ndarray,
                 p: int | None, forced: np.ndarray, seed: int = 0,
                 sorted_prefix: int | None = None) -> None:
        c = np.ascontiguousarray(cost, dtype=np.float64)
        n, m = c.shape
        self.n, self.m = n, m
        self.p = -1 if p is None else int(p)
        if sorted_prefix is None:  # group lists reach ~2 m / p sites on average
            sorted_prefix = m if p is None else max(64, -(-8 * m // max(int(p), 1)))
            if sorted_prefix > m // 2:  # a partial sort would cost more
                sorted_prefix = m
        k = int(min(max(sorted_prefix, 1), m))
        u = np.ascontiguousarray(unassigned, dtype=np.float64)
        f = np.ascontiguousarray(fixed, dtype=np.float64)
        forced = np.ascontiguousarray(forced, dtype=np.bool_)
        order, sc = _sorted_prefix(c, k)
        ct = np.empty((m, n))
        _transpose(c, ct)
        self.P = (c, ct, u, f, forced, order, sc)
        self.S = (
            np.zeros(m, dtype=np.bool_),  # is_open
            np.empty(n, dtype=np.int64),  # n1
            np.empty(n, dtype=np.int64),  # n2
            np.empty(n, dtype=np.float64),  # d1
            np.empty(n, dtype=np.float64),  # d2
            np.zeros(m, dtype=np.float64),  # gain
            np.zeros(m + 1, dtype=np.float64),  # loss (index m: virtual site)
            np.zeros((m, m), dtype=np.float64),  # extra
            np.zeros(n, dtype=np.int64),  # cnt: sites below d2 per group
            np.empty(m, dtype=np.int64),  # lst: open sites first
            np.empty(m, dtype=np.int64),  # pos in lst
            np.zeros(_N_INTS, dtype=np.int64),  # counters
            np.zeros(n, dtype=np.bool_),  # touched: group changed in this round
            np.zeros(n, dtype=np.int64),  # tlist: the touched groups
        )
        scale = float(_abs_sum(c) / max(c.size, 1) * n + np.abs(f).sum())
        self.eps = 1e-10 * max(scale, 1.0)
        self.W = (
            np.empty(max(n, m), dtype=np.int64),  # rows: affected groups, scratch
            np.empty(m, dtype=np.float64),  # a: opening deltas
            np.zeros(m, dtype=np.int64),  # bx: best swap partner per open site
            np.zeros(m, dtype=np.float64),  # bv: its delta
            np.zeros(m, dtype=np.int64),  # cand: open sites with improving swaps
            np.empty((4 * m + 256, 2), dtype=np.int64),  # hist: move log for undo
            np.empty(m, dtype=np.float64),  # gtmp: greedy gains
            np.empty(n, dtype=np.float64),  # d1tmp: greedy nearest costs
            np.empty(m, dtype=np.bool_),  # mask
            np.zeros(m, dtype=np.int64),  # stamp: site seen in the current scan
        )
        state = np.random.SeedSequence(int(seed)).generate_state(1, np.uint64)
        self._rng = state | np.uint64(1)  # xorshift state must not be 0
        self.best_open = np.zeros(m, dtype=np.bool_)
        self.best_obj = np.array([np.inf])
        self._ready = False  # state built by the first reset() / greedy()

    # ----------------------------------------------------------- state
    def _ensure(self) -> None:
        if not self._ready:  # start from the forced sites
            self.reset(np.flatnonzero(self.P[4]))

    @property
    def ints(self) -> np.ndarray:
        """Counters (open count, perturbations, restarts, work units, ...)."""
        return self.S[11]

    @property
    def work(self) -> int:
        """Work units done so far (elementary kernel steps; deterministic)."""
        return int(self.S[11][_WORK])

    @property
    def is_open(self) -> np.ndarray:
        """``(m,)`` bool mask of the open sites (read only)."""
        self._ensure()
        return self.S[0]

    @property
    def objective(self) -> float:
        """Current objective [cost units]: opening + nearest costs, penalties
        included."""
        self._ensure()
        return float(_objective(self.P, self.S))

    def open_sites(self) -> np.ndarray:
        """Sorted indices of the currently open sites."""
        self._ensure()
        return np.flatnonzero(self.S[0])

    def best_sites(self) -> np.ndarray:
        """Sorted indices of the best open sites found by :meth:`iterate`."""
        return np.flatnonzero(self.best_open)

    def reset(self, open_sites: np.ndarray) -> None:
        """Rebuild all bookkeeping from scratch for ``open_sites`` (indices)."""
        mask = np.zeros(self.m, dtype=np.bool_)
        mask[np.asarray(open_sites, dtype=np.intp)] = True
        _reset(self.P, self.S, mask)
        self._ready = True

    def greedy(self, top: int = 1) -> None:
        """Greedy construction from the forced sites: open the site that
        lowers the objective most until ``p`` are open (free ``p``: while it
        improves); with ``top`` > 1 at random among the ``top`` best."""
        _greedy(self.P, self.S, self.p, self.eps, self._rng, int(top), self.W)
        self._ready = True

    def apply(self, add: int | None = None, drop: int | None = None) -> None:
        """Open ``add`` and/or close ``drop``, updating incrementally."""
        self._ensure()
        _apply(self.P, self.S, self.W[0], -1 if add is None else int(add),
               -1 if drop is None else int(drop))

    def deltas(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Objective change of every move from the bookkeeping [cost units].

        Returns
        -------
        add : numpy.ndarray
            ``(m,)`` change when opening each closed site (``nan`` if open).
        drop : numpy.ndarray
            ``(m,)`` change when closing each open site (``nan`` if closed
            or forced).
        swap : numpy.ndarray
            ``(m, m)``: ``swap[r, x]`` closes open ``r`` and opens closed
            ``x`` (``nan`` elsewhere).
        """
        self._ensure()
        is_open, gain, loss, extra = self.S[0], self.S[5], self.S[6], self.S[7]
        f, forced = self.P[3], self.P[4]
        add = np.where(is_open, np.nan, f - gain)
        drop = np.where(is_open & ~forced, loss[: self.m] - f, np.nan)
        swap = drop[:, None] + add[None, :] + extra
        return add, drop, swap

    def best_move(self) -> tuple[float, int | None, int | None]:
        """Best improving add, drop (free ``p`` only) or swap.

        Returns
        -------
        tuple
            ``(delta [cost units], add, drop)``; ``add``/``drop`` are None
            when that part is absent, both None when nothing improves.
        """
        self._ensure()
        w = self.W
        d, a, r, _ = _scan(self.P, self.S, self.p, self.eps, w[1], w[2], w[3], w[4])
        return float(d), (None if a < 0 else int(a)), (None if r < 0 else int(r))

    def descend(self, multi: bool = True) -> int:
        """Descent to a local optimum (no improving add, drop or swap).

        Parameters
        ----------
        multi : bool
            After each scan's best move, also apply every other open site's
            best swap that still improves.

        Returns
        -------
        int
            Number of moves applied.
        """
        self._ensure()
        self.ints[_HLEN] = 0
        moves = _descend(self.P, self.S, self.p, self.eps, self.W, bool(multi))
        self.ints[_HLEN] = 0
        return int(moves)

    # ----------------------------------------------------------- search
    def iterate(self, max_iter: int, stop: Callable[[float], bool] | None = None,
                params: dict[str, float] | None = None) -> int:
        """Iterated local search from the current state (a local optimum).

        Parameters
        ----------
        max_iter : int
            Largest number of perturbations (restarts included).
        stop : callable, optional
            ``stop(fraction_done)`` called between chunks of perturbations
            (a few milliseconds each); True ends the search.
        params : dict, optional
            Overrides of :data:`ILS_PARAMS`; ``work_patience`` and
            ``max_work`` are in units of ``n * m`` work units.

        Returns
        -------
        int
            Number of perturbations done. The best solution is in
            :meth:`best_sites` and ``best_obj[0]``; the state is left on it
            and is a local optimum.
        """
        self._ensure()
        prm = dict(ILS_PARAMS)
        if params:
            prm.update(params)
        ints = self.ints
        for key in (_IT, _SINCE, _STALL, _RESTARTS, _IMPROVED):
            ints[key] = 0
        ints[_K] = 1
        ints[_WLAST] = ints[_W0] = ints[_WORK]
        kmax = max(1, min(int(prm["kmax"]), int(np.ceil(prm["kfrac"] * ints[_NOPEN]))))
        nm = self.n * self.m
        limits = np.array([
            max_iter, prm["patience"],
            max(prm["patience_min"], prm["patience_per_site"] * ints[_NOPEN]),
            prm["short_work_min"],
            max(prm["work_patience"] * nm, prm["work_patience_min"]),
            max(prm["max_work"] * nm, prm["max_work_min"]),
        ]).clip(0, 2**62).astype(np.int64)
        multi, local = bool(prm["multi"]), bool(prm["local"])
        _save_best(self.S, self.best_open, self.best_obj, _objective(self.P, self.S))
        chunk = 4
        while max_iter > 0:
            w0 = int(ints[_WORK])
            over = _ils(self.P, self.S, self.W, self.p, self.eps, self._rng, self.best_open,
                        self.best_obj, chunk, limits, kmax, float(prm["near_prob"]),
                        int(prm["near_k"]), int(prm["restart"]), int(prm["greedy_top"]),
                        int(prm["refresh"]), multi, local)
            if over or (stop is not None and stop(float(ints[_IT]) / max(max_iter, 1))):
                break
            # next chunk: about 3e6 work units (a few milliseconds)
            per = max(int(ints[_WORK]) - w0, 1) / chunk
            chunk = int(min(max(3e6 / per, 1), 4 * chunk, 1000))
        if not np.array_equal(self.S[0], self.best_open):
            _reset(self.P, self.S, self.best_open)
        if local:  # accepted plateau moves were only checked locally
            self.descend(multi)
            obj = self.objective
            if obj < self.best_obj[0]:
                _save_best(self.S, self.best_open, self.best_obj, obj)
        return int(ints[_IT])
