"""Lagrangian branch and bound for uncapacitated location problems.

The assignment rows ``sum_j x_ij + u_i = 1`` are relaxed with multipliers
``lambda_i``. For fixed ``lambda`` the relaxation splits by site:

    L(lambda) = sum_i lambda_i + sum_i min(0, u_i - lambda_i)
                + min_y sum_j y_j (f_j + rho_j),
    rho_j     = sum_i min(0, c_ij - lambda_i),

where ``y`` picks exactly ``p`` sites (the ``p`` smallest ``f_j + rho_j``)
or, with a free number of sites, every site with a negative value. Its
maximum over ``lambda`` equals the LP bound of the strong formulation
(the subproblem has the integrality property), and a subgradient ascent
gets close to it in a few hundred cheap passes over the cost matrix,
without the degenerate LP that makes HiGHS slow on p-median models with
few sites (OR-Library pmed35-39 do not finish their root LP in 300 s).

The tree branches on sites (open / closed). At every node the multipliers
start from the parent's, the penalty tests of Beasley (1993) fix sites
whose opening or closing alone lifts the bound above the incumbent, and
the Lagrangian solution is evaluated as a candidate incumbent. Nodes are
pruned when their bound reaches the incumbent less the allowed gap (less
one unit, when all costs are integers: then no better solution exists).

References
----------
J.E. Beasley, "Lagrangean heuristics for location problems", European
Journal of Operational Research 65 (1993) 383-399.
M.L. Fisher, "The Lagrangian relaxation method for solving integer
programming problems", Management Science 27 (1981) 1-18.

May import the rest of :mod:`footprint.locate` only (numpy, numba).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from ..evaluate import evaluate, nearest_assignment
from ..heuristic.interchange import FastSwap
from ..heuristic.local_search import _penalised
from ..problem import LocationProblem
from ..result import LocationResult, relative_gap
from .reductions import aggregate_rows

__all__ = [
    "BranchAndBoundResult",
    "lagrangian_bound",
    "lagrangian_branch_and_bound",
    "solve_lagrangian",
]

ProgressFn = Callable[[float, str], "bool | None"]

FREE, OPEN, CLOSED = 0, 1, -1
#: Subgradient passes at the root node.
ROOT_ITERATIONS = 3000
#: Subgradient passes at every other node (warm-started from the parent).
NODE_ITERATIONS = 500
#: Subgradient passes between two looks at the clock.
CHUNK = 100
#: Run the caller's local search on a node's Lagrangian solution this often.
IMPROVE_EVERY = 50
#: Initial step factor and patience (passes before halving it) at nodes.
NODE_THETA = 2.0
NODE_PATIENCE = 20


# ------------------------------------------------------------------ kernels
@numba.njit(cache=True)
def _value(sc, order, u, f, lam, state, p, v, sel):  # pragma: no cover - compiled
    """L(lambda); fills ``v`` (f_j + rho_j) and ``sel`` (chosen sites).

    Returns ``inf`` when the node's fixings leave no feasible ``y``.
    """
    r, m = sc.shape
    for j in range(m):
        v[j] = f[j]
    total = 0.0
    for i in range(r):
        li = lam[i]
        total += li
        if u[i] < li:
            total += u[i] - li
        for t in range(m):
            d = sc[i, t] - li
            if d >= 0.0:
                break
            v[order[i, t]] += d
    n_open = 0
    n_free = 0
    for j in range(m):
        sel[j] = state[j] == 1
        if state[j] == 1:
            n_open += 1
            total += v[j]
        elif state[j] == 0:
            n_free += 1
    if p >= 0:
        k = p - n_open
        if k < 0 or k > n_free:
            return np.inf
        if k > 0:
            idx = np.empty(n_free, dtype=np.int64)
            vals = np.empty(n_free)
            q = 0
            for j in range(m):
                if state[j] == 0:
                    idx[q] = j
                    vals[q] = v[j]
                    q += 1
            o = np.argsort(vals)
            for t in range(k):
                sel[idx[o[t]]] = True
                total += vals[o[t]]
    else:
        for j in range(m):
            if state[j] == 0 and v[j] < 0.0:
                sel[j] = True
                total += v[j]
    return total


@numba.njit(cache=True)
def _ascent(sc, order, u, f, lam, best_lam, best, state, p, target, prune_at, theta,
            noimp, patience, max_iter):  # pragma: no cover - compiled
    """Up to ``max_iter`` subgradient passes (Polyak steps towards ``target``).

    Updates ``lam`` (current) and ``best_lam`` in place and returns
    ``(best, theta, noimp, passes, finished)``; finished when the bound
    reaches ``prune_at``, the step has vanished, the node is infeasible
    or the relaxed solution is feasible (then it is optimal for the node).
    """
    r, m = sc.shape
    v = np.empty(m)
    sel = np.empty(m, dtype=np.bool_)
    g = np.empty(r)
    it = 0
    while it < max_iter:
        it += 1
        val = _value(sc, order, u, f, lam, state, p, v, sel)
        if val == np.inf:
            return np.inf, theta, noimp, it, True
        if val > best + 1e-12 * abs(val):
            noimp = 0
        else:
            noimp += 1
        if val > best:
            best = val
            best_lam[:] = lam
        if noimp >= patience:
            theta *= 0.5
            noimp = 0
        if best >= prune_at or theta < 1e-5:
            return best, theta, noimp, it, True
        gg = 0.0
        for i in range(r):
            li = lam[i]
            gi = 1.0
            if u[i] < li:
                gi -= 1.0
            for t in range(m):
                if sc[i, t] >= li:
                    break
                if sel[order[i, t]]:
                    gi -= 1.0
            g[i] = gi
            gg += gi * gi
        if gg == 0.0:
            return best, theta, noimp, it, True
        step = theta * (target - val) / gg
        for i in range(r):
            lam[i] += step * g[i]
    return best, theta, noimp, it, False


@numba.njit(cache=True)
def _solution_cost(sc, order, u, f, sel):  # pragma: no cover - compiled
    """Objective of opening exactly the sites in ``sel`` [cost units]."""
    r, m = sc.shape
    total = 0.0
    for j in range(m):
        if sel[j]:
            total += f[j]
    for i in range(r):
        best = u[i]
        for t in range(m):
            if sc[i, t] >= best:
                break
            if sel[order[i, t]]:
                best = sc[i, t]
                break
        total += best
    return total


# ------------------------------------------------------------------- python
@dataclass(frozen=True)
class BranchAndBoundResult:
    """Outcome of :func:`lagrangian_branch_and_bound`.

    Attributes
    ----------
    open_sites : numpy.ndarray
        Sorted indices of the best solution's open sites.
    objective : float
        Its objective [cost units].
    bound : float
        Proven lower bound on the optimum [cost units].
    status : str
        ``"optimal"`` (within the gap), ``"time_limit"`` or ``"cancelled"``.
    nodes : int
        Tree nodes processed.
    root_bound : float
        Lagrangian bound at the root [cost units].
    root_sites : int
        Sites left after the root's penalty tests.
    """

    open_sites: np.ndarray
    objective: float
    bound: float
    status: str
    nodes: int
    root_bound: float
    root_sites: int


def _maximise(mat: _Matrix, u: np.ndarray, f: np.ndarray, lam0: np.ndarray,
              state: np.ndarray, p: int, target: float, prune_at: float, theta: float,
              patience: int, max_iter: int, stop: Callable[[], bool]
              ) -> tuple[float, np.ndarray]:
    """Subgradient ascent in chunks; ``stop()`` is asked between them.

    Returns the best bound [cost units] and its multipliers.
    """
    lam = lam0.copy()
    best_lam = lam0.copy()
    best, noimp, done_iter = -np.inf, 0, 0
    if not math.isfinite(target):
        target = float(np.abs(mat.sorted[np.isfinite(mat.sorted)]).sum() + 1.0)
    while done_iter < max_iter:
        best, theta, noimp, it, finished = _ascent(
            mat.sorted, mat.order, u, f, lam, best_lam, best, state, p, target, prune_at,
            theta, noimp, patience, min(CHUNK, max_iter - done_iter))
        done_iter += it
        if finished or stop():
            break
    return float(best), best_lam


class _Matrix:
    """Rows sorted by cost, for passes that stop at ``lambda_i``."""

    def __init__(self, cost: np.ndarray, cols: np.ndarray) -> None:
        sub = cost[:, cols]
        order = np.argsort(sub, axis=1, kind="stable")
        self.sorted = np.ascontiguousarray(np.take_along_axis(sub, order, axis=1))
        self.order = order.astype(np.int32)  # half the memory of the default int64


def _initial_multipliers(cost: np.ndarray, unassigned: np.ndarray) -> np.ndarray:
    """Second-cheapest option of every row (finite), a classic start."""
    options = np.column_stack([cost, unassigned])
    two = np.partition(options, 1, axis=1)[:, :2]
    lam = np.where(np.isfinite(two[:, 1]), two[:, 1], two[:, 0])
    return np.where(np.isfinite(lam), lam, 0.0)


def _integral(cost: np.ndarray, unassigned: np.ndarray, fixed: np.ndarray) -> bool:
    vals = np.concatenate([cost[np.isfinite(cost)], unassigned[np.isfinite(unassigned)],
                           fixed])
    return bool(np.all(vals == np.round(vals)) and np.abs(vals).max(initial=0) < 2**52)


def lagrangian_bound(cost: np.ndarray, unassigned: np.ndarray, fixed: np.ndarray,
                     p: int | None, forced: np.ndarray, upper_bound: float,
                     *, iterations: int = ROOT_ITERATIONS,
                     stop: Callable[[], bool] | None = None) -> tuple[float, np.ndarray]:
    """Lagrangian (= LP) lower bound by subgradient ascent.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(r, m)`` costs [cost units]; ``inf`` on forbidden pairs.
    unassigned : numpy.ndarray
        ``(r,)`` cost of leaving a row unserved [cost units]; ``inf`` if not
        allowed.
    fixed : numpy.ndarray
        ``(m,)`` opening costs [cost units].
    p : int or None
        Exact number of open sites, or None (free).
    forced : numpy.ndarray
        ``(m,)`` bool, sites that must open.
    upper_bound : float
        Objective of a known solution; the step sizes aim at it [cost units].
    iterations : int
        Largest number of subgradient passes.
    stop : callable, optional
        Asked between chunks of passes; True ends the ascent (the bound so far
        is still valid).

    Returns
    -------
    tuple of (float, numpy.ndarray)
        The bound [cost units] and its multipliers ``lambda`` (r,).
    """
    cols = np.arange(cost.shape[1])
    mat = _Matrix(cost, cols)
    state = np.where(forced, OPEN, FREE).astype(np.int8)
    lam0 = _initial_multipliers(cost, unassigned)
    return _maximise(mat, np.asarray(unassigned, dtype=float), fixed.astype(float), lam0,
                     state, -1 if p is None else int(p), float(upper_bound), np.inf, 2.0,
                     30, int(iterations), stop if stop is not None else (lambda: False))


def _penalty_fixing(v: np.ndarray, sel: np.ndarray, state: np.ndarray, p: int,
                    bound: float, prune_at: float) -> np.ndarray:
    """Sites whose state is forced by the penalty tests (new ``state``).

    With exactly ``p`` sites, opening an unchosen free site ``j`` instead of
    the last chosen one lifts the bound by ``v_j - v_k``; closing a chosen
    free site lifts it by ``v_{k+1} - v_j``. With free ``p`` the lifts are
    ``v_j`` (open) and ``-v_j`` (close).
    """
    new = state.copy()
    free = state == FREE
    chosen = free & sel
    other = free & ~sel
    if p >= 0:
        if not chosen.any():
            return new
        last = v[chosen].max()
        nxt = v[other].min() if other.any() else np.inf
        new[other & (bound + v - last >= prune_at)] = CLOSED
        new[chosen & (bound + nxt - v >= prune_at)] = OPEN
    else:
        new[other & (bound + v >= prune_at)] = CLOSED
        new[chosen & (bound - v >= prune_at)] = OPEN
    return new


def lagrangian_branch_and_bound(
    cost: np.ndarray,
    unassigned: np.ndarray,
    fixed: np.ndarray,
    p: int | None,
    forced: np.ndarray,
    incumbent: np.ndarray,
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
    improve: Callable[[np.ndarray], np.ndarray] | None = None,
) -> BranchAndBoundResult:
    """Solve an uncapacitated location problem by Lagrangian branch and bound.

    Parameters
    ----------
    cost : numpy.ndarray
        ``(r, m)`` costs [cost units]; ``inf`` on forbidden pairs.
    unassigned : numpy.ndarray
        ``(r,)`` cost of leaving a row unserved [cost units]; ``inf`` when
        every row must be served.
    fixed : numpy.ndarray
        ``(m,)`` opening costs [cost units].
    p : int or None
        Exact number of open sites, or None for a free number.
    forced : numpy.ndarray
        ``(m,)`` bool, sites that must open.
    incumbent : numpy.ndarray
        Open sites of a feasible solution (the upper bound to beat).
    time_limit : float
        Wall-clock limit [s].
    mip_gap : float
        Relative gap at which a node counts as solved [fraction].
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.
    improve : callable, optional
        ``improve(open_sites) -> open_sites``, a local search run on the
        root's Lagrangian solution (a good start: Beasley 1993) and then
        every :data:`IMPROVE_EVERY` nodes.

    Returns
    -------
    BranchAndBoundResult
    """
    t0 = time.perf_counter()
    cost = np.asarray(cost, dtype=float)
    u = np.asarray(unassigned, dtype=float)
    f = np.asarray(fixed, dtype=float)
    m = cost.shape[1]
    pp = -1 if p is None else int(p)
    integral = _integral(cost, u, f)

    full = _Matrix(cost, np.arange(m))
    best_sel = np.zeros(m, dtype=bool)
    best_sel[np.asarray(incumbent, dtype=np.intp)] = True
    best_sel |= forced
    ub = float(_solution_cost(full.sorted, full.order, u, f, best_sel))

    def prune_level(ub: float) -> float:
        if not math.isfinite(ub):
            return math.inf
        level = ub - mip_gap * abs(ub)
        if integral:  # a better solution costs at most ub - 1
            level = min(level, ub - 1.0 + min(0.5, 1e-6 + 1e-9 * abs(ub)))
        return level

    prune_at = prune_level(ub)
    state = np.where(forced, OPEN, FREE).astype(np.int8)
    lam0 = _initial_multipliers(cost, u)
    clock = {"last": -1.0, "status": "optimal", "nodes": 0}

    def stop() -> bool:
        """Report progress (at most every 0.1 s); True on cancel or time out."""
        now = time.perf_counter() - t0
        if (progress is not None and clock["status"] != "cancelled"
                and now - clock["last"] >= 0.1):  # no report after a cancel
            clock["last"] = now
            lo, hi = progress_span
            what = (f"branch and bound: {clock['nodes']} nodes, best {ub:,.6g}"
                    if clock["nodes"] else "Lagrangian bound at the root")
            if progress(lo + (hi - lo) * min(now / max(time_limit, 1e-9), 1.0), what):
                clock["status"] = "cancelled"
        if clock["status"] == "optimal" and now >= time_limit:
            clock["status"] = "time_limit"
        return clock["status"] != "optimal"

    root, lam = _maximise(full, u, f, lam0, state, pp, ub, prune_at, 2.0, 30,
                          ROOT_ITERATIONS, stop)
    root_bound = float(root)
    v = np.empty(m)
    sel = np.empty(m, dtype=bool)
    if root < prune_at:
        _value(full.sorted, full.order, u, f, lam, state, pp, v, sel)
        cand = float(_solution_cost(full.sorted, full.order, u, f, sel))
        if cand < ub:
            ub, best_sel, prune_at = cand, sel.copy(), prune_level(cand)
        if improve is not None and clock["status"] == "optimal":
            better = np.zeros(m, dtype=bool)
            better[improve(np.flatnonzero(sel))] = True
            cand = float(_solution_cost(full.sorted, full.order, u, f, better))
            if cand < ub:
                ub, best_sel, prune_at = cand, better, prune_level(cand)
        state = _penalty_fixing(v, sel, state, pp, root, prune_at)
    # drop the closed sites from the matrix once
    cols = np.flatnonzero(state != CLOSED) if root < prune_at else np.flatnonzero(best_sel)
    mat = _Matrix(cost, cols)
    fk = f[cols]
    root_sites = int(cols.size)
    lower = [] if root < prune_at else [root_bound]
    nodes = 0
    stack: list[tuple[np.ndarray, np.ndarray, float]] = []
    if root < prune_at:
        stack.append((state[cols].copy(), lam, root_bound))
    vk = np.empty(cols.size)
    selk = np.empty(cols.size, dtype=bool)
    while stack:
        if stop():
            break
        st, lam_parent, parent_bound = stack.pop()
        if parent_bound >= prune_at:
            lower.append(parent_bound)
            continue
        nodes += 1
        clock["nodes"] = nodes
        n_open = int((st == OPEN).sum())
        n_free = int((st == FREE).sum())
        done = n_free == 0 or (pp >= 0 and (n_open == pp or n_open + n_free == pp))
        if pp >= 0 and (n_open > pp or n_open + n_free < pp):
            continue  # infeasible fixings
        if done:
            leaf = st == OPEN if pp < 0 or n_open == pp else st != CLOSED
            cand = float(_solution_cost(mat.sorted, mat.order, u, fk, leaf))
            if cand < ub:
                ub, prune_at = cand, prune_level(cand)
                best_sel = np.zeros(m, dtype=bool)
                best_sel[cols[leaf]] = True
            lower.append(cand)
            continue
        bound, lam = _maximise(mat, u, fk, lam_parent, st, pp, ub, prune_at, NODE_THETA,
                               NODE_PATIENCE, NODE_ITERATIONS, stop)
        if bound >= prune_at:
            lower.append(bound)
            continue
        _value(mat.sorted, mat.order, u, fk, lam, st, pp, vk, selk)
        cand = float(_solution_cost(mat.sorted, mat.order, u, fk, selk))
        cand_sel = cols[selk]
        if improve is not None and nodes % IMPROVE_EVERY == 0:
            better = np.zeros(m, dtype=bool)
            better[improve(cand_sel)] = True
            cost_better = float(_solution_cost(full.sorted, full.order, u, f, better))
            if cost_better < cand:
                cand, cand_sel = cost_better, np.flatnonzero(better)
        if cand < ub:
            ub, prune_at = cand, prune_level(cand)
            best_sel = np.zeros(m, dtype=bool)
            best_sel[cand_sel] = True
            if bound >= prune_at:
                lower.append(bound)
                continue
        st = _penalty_fixing(vk, selk, st, pp, bound, prune_at)
        free_chosen = np.flatnonzero((st == FREE) & selk)
        if free_chosen.size:
            # the chosen site whose closing would lift the bound most
            others = (st == FREE) & ~selk
            nxt = vk[others].min() if (pp >= 0 and others.any()) else 0.0
            lift = nxt - vk[free_chosen] if pp >= 0 else -vk[free_chosen]
            j = int(free_chosen[np.argmax(lift)])
        else:
            free = np.flatnonzero(st == FREE)
            if free.size == 0:
                stack.append((st, lam, bound))
                continue
            j = int(free[np.argmin(vk[free])])
        closed_child = st.copy()
        closed_child[j] = CLOSED
        open_child = st.copy()
        open_child[j] = OPEN
        stack.append((closed_child, lam, bound))
        stack.append((open_child, lam, bound))
    status = clock["status"]
    pending = [b for _, _, b in stack]
    proven = min([ub, *lower, *pending]) if (lower or pending) else ub
    if integral and status == "optimal":
        proven = min(ub, math.ceil(proven - 1e-9))
    return BranchAndBoundResult(
        open_sites=np.flatnonzero(best_sel), objective=ub, bound=float(proven),
        status=status, nodes=nodes, root_bound=root_bound, root_sites=root_sites,
    )


def _improver(problem: LocationProblem) -> Callable[[np.ndarray], np.ndarray]:
    """Descent (vertex substitution) from a given set of open sites."""
    cost, unassigned, _ = _penalised(problem)
    forced = problem.forced_or_none()
    ls = FastSwap(cost, unassigned, problem.fixed_or_zeros(), problem.n_sites, forced)

    def improve(sites: np.ndarray) -> np.ndarray:
        ls.reset(np.union1d(sites, np.flatnonzero(forced)))
        ls.descend()
        return ls.open_sites()

    return improve


def solve_lagrangian(
    problem: LocationProblem,
    incumbent: LocationResult,
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
) -> LocationResult:
    """Solve an uncapacitated problem by Lagrangian branch and bound.

    Parameters
    ----------
    problem : LocationProblem
        Uncapacitated problem.
    incumbent : LocationResult
        A feasible solution (from the heuristic): the first upper bound.
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
        Method ``"exact:lagrangian-bb"``; status ``"optimal"`` when the
        tree was exhausted (gap within ``mip_gap``).
    """
    if problem.capacitated:
        raise ValueError("Lagrangian branch and bound needs an uncapacitated problem")
    t0 = time.perf_counter()
    red = aggregate_rows(problem)
    out = lagrangian_branch_and_bound(
        red.cost, red.unassigned, problem.fixed_or_zeros(), problem.n_sites,
        problem.forced_or_none(), incumbent.open_sites, time_limit=time_limit,
        mip_gap=mip_gap, progress=progress, progress_span=progress_span,
        improve=_improver(problem),
    )
    sites = out.open_sites
    assignment = nearest_assignment(problem, sites)
    objective = evaluate(problem, sites, assignment)
    bound = min(out.bound, objective)
    m = problem.n_candidates
    return LocationResult(
        open_sites=sites, assignment=assignment, allocation=None, objective=objective,
        bound=bound, gap=relative_gap(objective, bound), status=out.status,
        method="exact:lagrangian-bb", seconds=time.perf_counter() - t0,
        message=(f"{out.nodes} nodes; root Lagrangian bound {out.root_bound:,.6g}; "
                 f"{out.root_sites} of {m} sites left after the root's penalty tests"),
    )
