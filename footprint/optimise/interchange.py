"""Incremental vertex-substitution local search for uncapacitated problems.

Resende-Werneck style bookkeeping: ``gain``, ``loss`` and the ``extra``
matrix are updated only for the demand groups whose nearest or second
nearest open site changes, so one swap costs ``O(k m + p m)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Interchange"]


class Interchange:
    """Local-search state over open sites for an uncapacitated problem.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(n, m)`` costs [cost units], forbidden pairs replaced by a large
        finite penalty.
    unassigned : numpy.ndarray
        ``(n,)`` cost of the always-open virtual "unserved" site [cost units]
        (the same penalty when unserved is not allowed).
    fixed : numpy.ndarray
        ``(m,)`` opening costs [cost units].
    p : int or None
        Exact number of open sites, or None for free.
    forced : numpy.ndarray
        ``(m,)`` bool, sites that may not close.
    """

    def __init__(self, cost: np.ndarray, unassigned: np.ndarray, fixed: np.ndarray,
                 p: int | None, forced: np.ndarray) -> None:
        self.c = np.ascontiguousarray(cost)
        self.n, self.m = cost.shape
        self.u = unassigned
        self.f = fixed
        self.p = p
        self.forced = forced
        scale = float(np.abs(cost).sum() / max(cost.size, 1) * self.n + np.abs(fixed).sum())
        self.eps = 1e-10 * max(scale, 1.0)
        self.history: list[tuple[int | None, int | None]] = []
        self.order = np.argsort(self.c, axis=1, kind="stable")
        self.sorted_cost = np.take_along_axis(self.c, self.order, axis=1)
        # below[i, j]: number of sites strictly cheaper than site j for row i
        pos = np.broadcast_to(np.arange(self.m), self.c.shape)
        new = np.ones(self.c.shape, dtype=bool)
        new[:, 1:] = self.sorted_cost[:, 1:] != self.sorted_cost[:, :-1]
        first = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
        self.below = np.empty(self.c.shape, dtype=np.int32)
        np.put_along_axis(self.below, self.order, first.astype(np.int32), axis=1)
        self.below_u = np.array(
            [np.searchsorted(self.sorted_cost[i], self.u[i]) for i in range(self.n)],
            dtype=np.int32,
        )
        self.reset(np.flatnonzero(forced))

    # --------------------------------------------------------------- state
    def reset(self, open_sites: np.ndarray) -> None:
        """Rebuild all bookkeeping from scratch for ``open_sites``."""
        self.is_open = np.zeros(self.m, dtype=bool)
        self.is_open[np.asarray(open_sites, dtype=np.intp)] = True
        self.n1 = np.empty(self.n, dtype=np.intp)
        self.n2 = np.empty(self.n, dtype=np.intp)
        self.d1 = np.empty(self.n)
        self.d2 = np.empty(self.n)
        self.gain = np.zeros(self.m)
        self.extra = np.zeros((self.m + 1, self.m))
        rows = np.arange(self.n)
        self._nearest(rows)
        self._contribute(rows, +1.0)

    def _nearest(self, rows: np.ndarray) -> None:
        idx = np.flatnonzero(self.is_open)
        sub = np.empty((rows.size, idx.size + 1))
        sub[:, :-1] = self.c[np.ix_(rows, idx)]
        sub[:, -1] = self.u[rows]
        cols = np.append(idx, self.m)
        if idx.size == 0:
            self.n1[rows], self.d1[rows] = self.m, sub[:, 0]
            self.n2[rows], self.d2[rows] = self.m, sub[:, 0]
            return
        two = np.argpartition(sub, 1, axis=1)[:, :2]
        a = np.take_along_axis(sub, two, axis=1)
        swap = a[:, 1] < a[:, 0]
        two[swap] = two[swap][:, ::-1]
        a[swap] = a[swap][:, ::-1]
        self.n1[rows], self.d1[rows] = cols[two[:, 0]], a[:, 0]
        self.n2[rows], self.d2[rows] = cols[two[:, 1]], a[:, 1]

    def _contribute(self, rows: np.ndarray, sign: float) -> None:
        """Add (sign=+1) or remove (-1) the rows' share of gain and extra.

        Only sites cheaper than a row's second-nearest cost contribute, so
        the rows' sites are visited in increasing cost order (``self.order``)
        up to that point.
        """
        if rows.size == 0:
            return
        d1 = self.d1[rows, None]
        d2 = self.d2[rows, None]
        n2 = self.n2[rows]
        virtual = n2 >= self.m
        counts = self.below_u[rows].copy()
        counts[~virtual] = self.below[rows[~virtual], n2[~virtual]]
        k = int(counts.max())
        if k == 0:
            return
        if k > 0.5 * self.m:  # dense is cheaper
            c = self.c[rows]
            self.gain += sign * np.maximum(d1 - c, 0.0).sum(axis=0)
            corr = np.minimum(np.maximum(c, d1), d2)
            corr -= d2
            owner = self.n1[rows]
            order = np.argsort(owner, kind="stable")
            owner = owner[order]
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            sums = np.add.reduceat(corr[order], starts, axis=0)
            self.extra[owner[starts]] += sign * sums
            return
        sc = self.sorted_cost[rows, :k]
        site = self.order[rows, :k]
        keep = np.arange(k)[None, :] < counts[:, None]
        g = np.maximum(d1 - sc, 0.0)
        corr = np.minimum(np.maximum(sc, d1), d2) - d2
        s = site[keep]
        np.add.at(self.gain, s, sign * g[keep])
        flat = (np.broadcast_to(self.n1[rows, None], site.shape)[keep] * self.m + s)
        np.add.at(self.extra.reshape(-1), flat, sign * corr[keep])

    @property
    def loss(self) -> np.ndarray:
        """Cost increase of closing each site [cost units]."""
        return np.bincount(self.n1, weights=self.d2 - self.d1, minlength=self.m + 1)[: self.m]

    @property
    def objective(self) -> float:
        """Current objective [cost units] (penalties included)."""
        return float(self.f[self.is_open].sum() + self.d1.sum())

    def open_sites(self) -> np.ndarray:
        """Sorted indices of the open sites."""
        return np.flatnonzero(self.is_open)

    # --------------------------------------------------------------- moves
    def apply(self, add: int | None = None, drop: int | None = None) -> None:
        """Open ``add`` and/or close ``drop``, updating incrementally."""
        mask = np.zeros(self.n, dtype=bool)
        if drop is not None:
            mask |= (self.n1 == drop) | (self.n2 == drop)
        if add is not None:
            mask |= self.c[:, add] < self.d2
        rows = np.flatnonzero(mask)
        self.history.append((add, drop))
        self._contribute(rows, -1.0)
        if add is not None:
            self.is_open[add] = True
        if drop is not None:
            self.is_open[drop] = False
        self._nearest(rows)
        self._contribute(rows, +1.0)

    def undo(self, mark: int) -> None:
        """Revert the moves made since ``len(history) == mark``."""
        while len(self.history) > mark:
            add, drop = self.history.pop()
            self.apply(add=drop, drop=add)
            self.history.pop()

    def best_add(self, candidates: np.ndarray | None = None) -> tuple[float, int]:
        """Best site to open: (delta [cost units], site)."""
        closed = np.flatnonzero(~self.is_open) if candidates is None else candidates
        if closed.size == 0:
            return np.inf, -1
        delta = self.f[closed] - self.gain[closed]
        k = int(np.argmin(delta))
        return float(delta[k]), int(closed[k])

    def best_move(self) -> tuple[float, int | None, int | None]:
        """Best improving add, drop or swap: (delta, add, drop)."""
        is_open = self.is_open
        closed = np.flatnonzero(~is_open)
        removable = np.flatnonzero(is_open & ~self.forced)
        loss = self.loss
        best = (0.0, None, None)
        if closed.size and removable.size:
            delta = (
                (self.f[closed] - self.gain[closed])[None, :]
                + (loss[removable] - self.f[removable])[:, None]
                + self.extra[np.ix_(removable, closed)]
            )
            k = int(np.argmin(delta))
            a, b = divmod(k, closed.size)
            if delta[a, b] < best[0]:
                best = (float(delta[a, b]), int(closed[b]), int(removable[a]))
        if self.p is None:
            d, j = self.best_add(closed)
            if d < best[0]:
                best = (d, j, None)
            if removable.size:
                dd = loss[removable] - self.f[removable]
                k = int(np.argmin(dd))
                if dd[k] < best[0]:
                    best = (float(dd[k]), None, int(removable[k]))
        return best

    def descend(self, max_moves: int = 100000) -> int:
        """Apply best improving moves until none improves; return move count."""
        moves = 0
        while moves < max_moves:
            delta, add, drop = self.best_move()
            if delta >= -self.eps:
                break
            self.apply(add, drop)
            moves += 1
        return moves

    def greedy(self, rng: np.random.Generator | None = None, top: int = 1) -> None:
        """Greedy construction from the forced sites (randomised among ``top``)."""
        self.reset(np.flatnonzero(self.forced))
        target = self.p
        while True:
            count = int(self.is_open.sum())
            if target is not None and count >= target:
                break
            closed = np.flatnonzero(~self.is_open)
            if closed.size == 0:
                break
            delta = self.f[closed] - self.gain[closed]
            if target is None and delta.min() >= -self.eps:
                break
            if rng is not None and top > 1 and closed.size > 1:
                k = min(top, closed.size)
                cand = np.argpartition(delta, k - 1)[:k]
                if target is None:
                    cand = cand[delta[cand] < -self.eps]
                j = int(closed[rng.choice(cand)])
            else:
                j = int(closed[np.argmin(delta)])
            self.apply(add=j)
