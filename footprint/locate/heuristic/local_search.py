"""Heuristic solvers: greedy + interchange + iterated local search.

May import :mod:`footprint.locate`'s base modules and :mod:`footprint.locate.heuristic`, never :mod:`footprint.locate.exact`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from ..evaluate import evaluate, nearest_assignment, solution_violations
from ..problem import LocationProblem
from ..result import LocationResult
from .capacitated_assignment import assign_capacitated
from .interchange import FastSwap
from .single_source import SiteSearch, positions_of, sites_of

__all__ = ["solve_heuristic"]

ProgressFn = Callable[[float, str], "bool | None"]

#: Swaps tried per capacitated local-search round.
SWAP_SAMPLE = 400


class _Clock:
    """Deadline, progress reporting and cancellation for a heuristic run."""

    def __init__(self, time_limit: float, progress: ProgressFn | None,
                 span: tuple[float, float]) -> None:
        self.t0 = time.perf_counter()
        self.limit = time_limit
        self.progress = progress
        self.span = span
        self.cancelled = False
        self.last = -1.0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def stop(self, done: float, message: str) -> bool:
        """Report progress; True when the run must stop now."""
        now = self.elapsed
        if self.progress is not None and now - self.last >= 0.1:
            self.last = now
            lo, hi = self.span
            frac = lo + (hi - lo) * min(max(done, now / max(self.limit, 1e-9)), 1.0)
            if self.progress(frac, message):
                self.cancelled = True
        return self.cancelled or now >= self.limit


def _penalised(problem: LocationProblem) -> tuple[np.ndarray, np.ndarray, float]:
    """Costs with forbidden pairs / missing unassigned option as a penalty."""
    u = problem.unassigned_cost
    rest = float(np.abs(problem.fixed_or_zeros()).sum()) + (
        float(np.abs(u).sum()) if u is not None else 0.0)
    if problem.allowed is None:
        cost = problem.cost
    else:
        cost = np.where(problem.allowed, problem.cost, 0.0)
    # largest |cost| per row, without an (n, m) temporary
    row_max = np.maximum(cost.max(axis=1), -cost.min(axis=1))
    big = 1.0 + 2.0 * (float(row_max.sum()) + rest)
    if problem.allowed is not None:
        cost[~problem.allowed] = big
    unassigned = u if u is not None else np.full(problem.n_groups, big)
    return cost, unassigned, big


def _uncapacitated(problem: LocationProblem, clock: _Clock, rng: np.random.Generator,
                   warm_start: np.ndarray | None, max_iter: int) -> tuple[np.ndarray, str]:
    """Greedy (or warm start) + interchange descent + iterated local search.

    The search itself runs in compiled kernels (:mod:`.fastswap`); the clock
    and the progress callback are checked between chunks of a few ms.
    """
    cost, unassigned, _ = _penalised(problem)
    forced = problem.forced_or_none()
    ls = FastSwap(cost, unassigned, problem.fixed_or_zeros(), problem.n_sites, forced,
                  seed=int(rng.integers(1, 2**62)))
    start = None
    if warm_start is not None:
        ws = np.union1d(np.asarray(warm_start, dtype=np.intp), np.flatnonzero(forced))
        if problem.n_sites is None or ws.size == problem.n_sites:
            start = ws
    if start is not None:
        ls.reset(start)
    else:
        ls.greedy()
    ls.descend()
    its = 0
    if max_iter > 0 and not clock.stop(0.0, "local search"):
        its = ls.iterate(max_iter, lambda done: clock.stop(done, "local search"))
        return ls.best_sites(), f"{its} perturbations"
    return ls.open_sites(), f"{its} perturbations"


def _fix_count(problem: LocationProblem, sites: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Open set with the right count (``n_sites``) and, when every group must
    be served, enough total capacity (cheapest capacity per unit first)."""
    cap = problem.capacity
    demand_total = float(problem.demand_or_ones().sum())
    must = problem.unassigned_cost is None
    forced = problem.forced_or_none()
    p = problem.n_sites
    is_open = forced.copy()
    is_open[np.asarray(sites, dtype=np.intp)] = True
    if must:
        for j in order:
            if cap[is_open].sum() >= demand_total or (p is not None and is_open.sum() >= p):
                break
            is_open[j] = True
    if p is not None:
        while is_open.sum() > p:  # drop smallest non-forced
            cand = np.flatnonzero(is_open & ~forced)
            is_open[cand[np.argmin(cap[cand])]] = False
        for j in order:
            if is_open.sum() >= p:
                break
            is_open[j] = True
        if must and cap[is_open].sum() < demand_total:  # swap small for large
            big = np.argsort(-cap)
            is_open[:] = forced
            for j in big:
                if is_open.sum() >= p:
                    break
                is_open[j] = True
    return np.flatnonzero(is_open)


def _assignment_mip(problem: LocationProblem, sites: np.ndarray, clock: _Clock, most_s: float
                    ) -> tuple[np.ndarray, float] | None:
    """The single-source assignment MIP on ``sites`` (at most ``most_s`` seconds, within
    the clock): columns of ``sites`` (``sites.size`` = unserved) and the cost without
    fixed costs, or None."""
    out = assign_capacitated(problem, sites, time_limit=max(0.05, min(most_s, clock.limit - clock.elapsed)))
    if out is None:
        return None
    return positions_of(sites, out[0], problem.n_candidates), float(out[2])


def _single_source(problem: LocationProblem, clock: _Clock, rng: np.random.Generator,
                   warm_start: np.ndarray | None, max_iter: int
                   ) -> tuple[np.ndarray | None, tuple | None, str]:
    """Single-source capacitated: fast feasible construction, then search."""
    m = problem.n_candidates
    cap = problem.capacity
    d = problem.demand_or_ones()
    forced = problem.forced_or_none()
    p = problem.n_sites
    cost = problem.masked_cost()
    fixed = problem.fixed_or_zeros()
    ss = SiteSearch(cost, d, cap, fixed, forced, problem.unassigned_cost,
                    deadline=time.perf_counter() + clock.limit - clock.elapsed)
    mean_cost = ss.c.mean(axis=0)  # forbidden pairs at a finite penalty
    order = np.argsort((fixed + mean_cost) / np.maximum(cap, 1e-12))
    starts: list[np.ndarray] = []
    if warm_start is not None:
        starts.append(np.asarray(warm_start, dtype=np.intp))
    sub = LocationProblem(
        cost=problem.cost, n_sites=p, fixed_cost=problem.fixed_cost,
        forced_open=problem.forced_open, allowed=problem.allowed,
        unassigned_cost=problem.unassigned_cost,
    )
    unc, _ = _uncapacitated(sub, clock, rng, None, 0)
    starts.append(unc)
    # capacity-first starts: biggest sites, and best capacity per unit cost
    starts.append(np.argsort(-cap)[: (p or m)])
    starts.append(order[: (p or m)])
    best = None
    tried = 0
    for k, s0 in enumerate(starts):
        sites = _fix_count(problem, s0, order)
        if problem.unassigned_cost is None and cap[sites].sum() < d.sum() - 1e-9:
            continue
        tried += 1
        last = k == len(starts) - 1

        def mip(sites=sites):
            out = _assignment_mip(problem, sites, clock, 2.0)
            return None if out is None else out[0]

        out = ss.evaluate(sites, fallback=mip if (last or best is None) and not clock.stop(
            0.0, "capacitated construction") else None)
        if out is not None and (best is None or out[1] < best[2]):
            best = (sites, out[0], out[1])
        if best is not None and k >= 1:
            break  # a feasible start from the warm start or the interchange answer
        if clock.stop(0.0, "capacitated construction"):
            break
    if best is None:
        return None, None, f"no feasible single-source assignment found ({tried} starts)"
    sites, a, val = best

    def exact_assign(sites: np.ndarray) -> tuple[np.ndarray, float] | None:
        # a small assignment MIP (the search only calls it on tiny problems)
        out = _assignment_mip(problem, sites, clock, 1.0)
        return None if out is None else (out[0], float(fixed[sites].sum() + out[1]))

    ss.exact_assign = exact_assign
    evals = 0
    if max_iter > 0:
        sites, a, val, evals = ss.search(
            sites, a, val, lambda: clock.stop(0.5, "capacitated local search"), rng,
            free_count=p is None)
    sites = np.asarray(sites, dtype=np.intp)
    order_s = np.argsort(sites)
    return sites[order_s], (sites_of(sites, a), None, val), f"{evals} moves"


def _capacitated(problem: LocationProblem, clock: _Clock, rng: np.random.Generator,
                 warm_start: np.ndarray | None, max_iter: int
                 ) -> tuple[np.ndarray | None, tuple | None, str]:
    m = problem.n_candidates
    cap = problem.capacity
    demand_total = float(problem.demand_or_ones().sum())
    must = problem.unassigned_cost is None
    forced = problem.forced_or_none()
    p = problem.n_sites

    def value(sites: np.ndarray) -> tuple[float, tuple | None]:
        out = assign_capacitated(problem, sites, time_limit=max(
            0.05, min(5.0, clock.limit - clock.elapsed)))
        if out is None:
            return math.inf, None
        return float(problem.fixed_or_zeros()[sites].sum() + out[2]), out

    # start: uncapacitated solution, then add capacity greedily
    if warm_start is not None:
        sites = np.union1d(np.asarray(warm_start, dtype=np.intp), np.flatnonzero(forced))
    else:
        sub = LocationProblem(
            cost=problem.cost, n_sites=p, fixed_cost=problem.fixed_cost,
            forced_open=problem.forced_open, allowed=problem.allowed,
            unassigned_cost=problem.unassigned_cost,
        )
        sites, _ = _uncapacitated(sub, clock, rng, None, 3)
    sites = np.asarray(sites, dtype=np.intp)
    ratio = (problem.fixed_or_zeros() + problem.cost.mean(axis=0)) / np.maximum(cap, 1e-12)
    order = np.argsort(ratio)

    sites = _fix_count(problem, sites, order)
    best_val, best_out = value(sites)
    best = sites
    if best_out is None:  # try the largest sites
        sites = _fix_count(problem, np.argsort(-cap)[: (p or m)], order)
        best_val, best_out = value(sites)
        best = sites
    moves = 0
    improved = True
    while improved and moves < max_iter and best_out is not None:
        improved = False
        is_open = np.zeros(m, dtype=bool)
        is_open[best] = True
        closed = np.flatnonzero(~is_open)
        removable = np.flatnonzero(is_open & ~forced)
        cands: list[np.ndarray] = []
        if p is None:
            cands += [np.append(best, j) for j in rng.permutation(closed)]
            cands += [best[best != r] for r in rng.permutation(removable)]
        pairs = [(r, j) for r in removable for j in closed]
        rng.shuffle(pairs)
        cands += [np.append(best[best != r], j) for r, j in pairs[:SWAP_SAMPLE]]
        for cand in cands:
            if clock.stop(moves / max(max_iter, 1), "capacitated local search"):
                break
            if must and cap[cand].sum() < demand_total - 1e-9:
                continue
            val, out = value(np.sort(cand))
            moves += 1
            if val < best_val - 1e-9 * max(abs(best_val), 1.0):
                best_val, best_out, best = val, out, np.sort(cand)
                improved = True
                break
        if clock.cancelled or clock.elapsed >= clock.limit:
            break
    if best_out is None:
        return None, None, "no feasible assignment found"
    return best, best_out, f"{moves} moves"


def solve_heuristic(
    problem: LocationProblem,
    *,
    time_limit: float = 10.0,
    random_state: int | None = 0,
    warm_start: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
    max_iter: int = 1000,
) -> LocationResult:
    """Find a good feasible solution quickly (no optimality proof).

    Uncapacitated: greedy, vertex substitution (add, drop, swap) and
    iterated local search with random perturbations and randomised-greedy
    restarts, in compiled kernels (:mod:`footprint.locate.heuristic.interchange`); the
    search stops early after a deterministic amount of work without
    improvement (tens of milliseconds up to about 1000 x 1000), so its
    answer depends only on ``random_state`` unless ``time_limit``,
    ``max_iter`` or a cancellation cuts it short. Capacitated, split demand: start from the
    uncapacitated answer, add capacity, then add/drop/swap moves each
    evaluated by a transportation LP. Single source: a fast feasible
    construction (regret greedy assignment with capacities, first-fit
    decreasing and a small MIP as fallbacks), then site swaps (cluster
    relocations and swaps ranked by their uncapacitated delta) with
    incremental reassignment and shift / swap / ejection-chain moves
    (:mod:`footprint.locate.heuristic.single_source`). Every returned solution is
    feasible; when nothing feasible was found before the time limit the
    status is ``"time_limit"`` (empty solution), never ``"infeasible"``.

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    time_limit : float
        Wall-clock limit [s].
    random_state : int, optional
        Seed.
    warm_start : numpy.ndarray, optional
        Open sites to start from.
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.
    max_iter : int
        Perturbations (uncapacitated) or move evaluations (capacitated).

    Returns
    -------
    LocationResult
        Objective recomputed from the solution; ``bound`` is ``nan``.
    """
    clock = _Clock(time_limit, progress, progress_span)
    rng = np.random.default_rng(random_state)
    allocation = None
    if problem.capacitated:
        search = _single_source if problem.single_source else _capacitated
        sites, out, msg = search(problem, clock, rng, warm_start, max_iter)
        method = "heuristic:add-drop-swap+assignment"
        if sites is None or out is None:
            if clock.cancelled:
                status = "cancelled"
            elif clock.elapsed >= clock.limit:
                # never "infeasible" because of the clock
                status = "time_limit"
                msg = f"no feasible solution found within the time limit ({msg})"
            else:
                status = "infeasible"
            return LocationResult(
                open_sites=np.zeros(0, dtype=np.intp),
                assignment=np.full(problem.n_groups, -1, dtype=np.intp),
                allocation=None, objective=math.inf, bound=math.nan, gap=math.nan,
                status=status, method=method, seconds=clock.elapsed, message=msg,
            )
        assignment, allocation = out[0], out[1]
    else:
        sites, msg = _uncapacitated(problem, clock, rng, warm_start, max_iter)
        method = "heuristic:interchange+ils"
        assignment = nearest_assignment(problem, sites)
    objective = evaluate(problem, sites, assignment, allocation)
    feasible = not solution_violations(problem, sites, assignment, allocation)
    if clock.cancelled:
        status = "cancelled"
    elif feasible and math.isfinite(objective):
        status = "feasible"
    else:
        status = "infeasible"
    if status == "infeasible":
        objective = math.inf
    return LocationResult(
        open_sites=np.asarray(sites, dtype=np.intp), assignment=assignment,
        allocation=allocation, objective=objective, bound=math.nan, gap=math.nan,
        status=status, method=method, seconds=clock.elapsed, message=msg,
    )
