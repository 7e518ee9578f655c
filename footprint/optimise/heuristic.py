"""Heuristic solvers: greedy + interchange + iterated local search."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from .assign import assign_capacitated
from .evaluate import evaluate, nearest_assignment, solution_violations
from .interchange import Interchange
from .problem import LocationProblem
from .result import LocationResult
from .singlesource import SiteSearch

__all__ = ["solve_heuristic"]

ProgressFn = Callable[[float, str], "bool | None"]

#: Probability that a perturbing swap inserts a site near the removed one.
NEAR_PROB = 0.3
#: Largest number of random moves in one perturbation.
KMAX = 10
#: Stop after this many perturbations without a strict improvement.
PATIENCE = 400
#: Swaps tried per capacitated local-search round.
SWAP_SAMPLE = 400
#: Accept perturbed solutions of equal objective (plateau walk).
PLATEAU = True


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
    allowed = problem.allowed_or_all()
    finite_cost = np.where(allowed, problem.cost, 0.0)
    u = problem.unassigned_cost
    big = 1.0 + 2.0 * (
        float(np.abs(finite_cost).max(axis=1).sum())
        + float(np.abs(problem.fixed_or_zeros()).sum())
        + (float(np.abs(u).sum()) if u is not None else 0.0)
    )
    cost = np.where(allowed, problem.cost, big)
    unassigned = u if u is not None else np.full(problem.n_groups, big)
    return cost, unassigned, big


def _perturb(ls: Interchange, rng: np.random.Generator, strength: int,
             near: np.ndarray | None) -> None:
    """Apply ``strength`` random moves; swaps mostly insert a site near the
    one they remove (``near[r]`` lists the sites closest to ``r``)."""
    for _ in range(strength):
        opened = np.flatnonzero(ls.is_open & ~ls.forced)
        closed = np.flatnonzero(~ls.is_open)
        kinds = []
        if opened.size and closed.size:
            kinds.append("swap")
        if ls.p is None:
            if closed.size:
                kinds.append("add")
            if opened.size:
                kinds.append("drop")
        if not kinds:
            return
        kind = kinds[rng.integers(len(kinds))]
        drop = int(rng.choice(opened)) if kind in ("swap", "drop") else None
        add = None
        if kind == "swap" and near is not None and rng.random() < NEAR_PROB:
            cand = near[drop][~ls.is_open[near[drop]]]
            if cand.size:
                add = int(rng.choice(cand))
        if add is None and kind in ("swap", "add"):
            add = int(rng.choice(closed))
        ls.apply(add, drop)


def _neighbours(cost: np.ndarray, k: int) -> np.ndarray | None:
    """For every site, the ``k`` sites whose cost columns are most alike."""
    n, m = cost.shape
    if m <= k + 1 or n * m * m > 2e8:
        return None
    # distance between sites = mean |difference| of their cost columns
    # (a proxy for geographic closeness that needs no coordinates)
    sample = cost if n <= 400 else cost[np.linspace(0, n - 1, 400).astype(int)]
    z = sample / max(float(np.abs(sample).max()), 1e-12)
    gram = z.T @ z
    sq = np.diag(gram)
    d = sq[:, None] + sq[None, :] - 2 * gram
    np.fill_diagonal(d, np.inf)
    return np.argpartition(d, k, axis=1)[:, :k]


def _uncapacitated(problem: LocationProblem, clock: _Clock, rng: np.random.Generator,
                   warm_start: np.ndarray | None, max_iter: int) -> tuple[np.ndarray, str]:
    cost, unassigned, _ = _penalised(problem)
    ls = Interchange(cost, unassigned, problem.fixed_or_zeros(), problem.n_sites,
                     problem.forced_or_none())
    starts = []
    if warm_start is not None:
        ws = np.union1d(np.asarray(warm_start, dtype=np.intp),
                        np.flatnonzero(problem.forced_or_none()))
        if problem.n_sites is None or ws.size == problem.n_sites:
            starts.append(ws)
    if starts:
        ls.reset(starts[0])
    else:
        ls.greedy()
    ls.descend()
    best, best_obj = ls.open_sites(), ls.objective
    p_eff = max(int(ls.is_open.sum()), 1)
    kmax = max(1, min(KMAX, p_eff))
    near = _neighbours(cost, 10)
    it = since = stall = 0
    k = 1
    while it < max_iter and not clock.stop(it / max(max_iter, 1), "local search"):
        it += 1
        stall += 1
        if stall > PATIENCE:
            break
        if since >= 250:  # restart from a randomised greedy
            ls.greedy(rng, top=3)
            ls.descend()
            since = 0
            if ls.objective < best_obj - ls.eps:
                best, best_obj, stall = ls.open_sites(), ls.objective, 0
            else:
                ls.reset(best)
            continue
        if it % 100 == 0:
            ls.reset(best)  # clear floating-point drift
        mark = len(ls.history)
        _perturb(ls, rng, k, near)
        ls.descend()
        obj = ls.objective
        if obj < best_obj - ls.eps:
            best, best_obj, since, stall, k = ls.open_sites(), obj, 0, 0, 1
            ls.history.clear()
        else:
            if PLATEAU and obj <= best_obj + ls.eps:  # plateau: walk on
                best = ls.open_sites()
                ls.history.clear()
            else:
                ls.undo(mark)
            since += 1
            k = k + 1 if k < kmax else 1
    return best, f"{it} perturbations"


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


def _single_source(problem: LocationProblem, clock: _Clock, rng: np.random.Generator,
                   warm_start: np.ndarray | None, max_iter: int
                   ) -> tuple[np.ndarray | None, tuple | None, str]:
    """Single-source capacitated: fast feasible construction, then search."""
    m = problem.n_candidates
    cap = problem.capacity
    d = problem.demand_or_ones()
    forced = problem.forced_or_none()
    p = problem.n_sites
    cost = np.where(problem.allowed_or_all(), problem.cost, np.inf)
    fixed = problem.fixed_or_zeros()
    ss = SiteSearch(cost, d, cap, fixed, forced, problem.unassigned_cost)
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
            out = assign_capacitated(problem, sites, time_limit=max(
                0.05, min(2.0, clock.limit - clock.elapsed)))
            if out is None:
                return None
            col = {int(j): t for t, j in enumerate(sites)}
            virt = sites.size
            return np.array([col.get(int(j), virt) if j >= 0 else virt for j in out[0]],
                            dtype=np.intp)

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
    evals = 0
    if max_iter > 0:
        sites, a, val, evals = ss.search(
            sites, a, val, lambda: clock.stop(0.5, "capacitated local search"), rng)
    sites = np.asarray(sites, dtype=np.intp)
    assignment = np.where(a < sites.size, sites[np.minimum(a, sites.size - 1)], -1)
    order_s = np.argsort(sites)
    return sites[order_s], (assignment.astype(np.intp), None, val), f"{evals} moves"


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

    Uncapacitated: greedy, best-improvement vertex substitution (add, drop,
    swap) and iterated local search with random perturbations and
    randomised-greedy restarts. Capacitated, split demand: start from the
    uncapacitated answer, add capacity, then add/drop/swap moves each
    evaluated by a transportation LP. Single source: a fast feasible
    construction (regret greedy assignment with capacities, first-fit
    decreasing and a small MIP as fallbacks), then site swaps (cluster
    relocations and swaps ranked by their uncapacitated delta) with
    incremental reassignment and shift / swap / ejection-chain moves
    (:mod:`footprint.optimise.singlesource`). Every returned solution is
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
