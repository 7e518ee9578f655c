"""Exact MIP solvers (HiGHS): strong and radius (Elloumi) formulations.

May import :mod:`footprint.locate` modules only (heuristics for its start), nothing else of Footprint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from ..evaluate import evaluate, nearest_assignment
from ..heuristic.local_search import solve_heuristic
from ..problem import LocationProblem
from ..result import LocationResult, relative_gap
from . import lagrangian_capacitated as capacitated
from . import restricted_model as restricted
from .highs_runner import MipOutcome, run_lp, run_mip
from .lagrangian_uncapacitated import solve_lagrangian
from .reductions import Reduced, aggregate_rows, cost_caps

__all__ = ["solve_exact", "strong_model", "radius_model"]

ProgressFn = Callable[[float, str], "bool | None"]

#: Share of the time limit for the Lagrangian site fixing of
#: ``"strong-reduced"`` (it usually stops much earlier) [fraction].
PREP_SHARE = 0.2


def _site_columns(problem: LocationProblem) -> tuple[np.ndarray, np.ndarray]:
    """Lower/upper bounds of the y columns (forced-open sites fixed to 1)."""
    m = problem.n_candidates
    lo = problem.forced_or_none().astype(float)
    return lo, np.ones(m)


# --------------------------------------------------------------------- strong
def strong_model(problem: LocationProblem, red: Reduced) -> dict:
    """Build the strong formulation (``x_ij <= y_j``) on merged rows.

    Columns: ``y`` (m), then ``x`` on allowed pairs whose cost does not
    exceed the row's cap (uncapacitated only), then ``u`` (rows that may be
    left unserved).

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    red : Reduced
        Merged rows from :func:`~footprint.locate.exact.reductions.aggregate_rows`.

    Returns
    -------
    dict
        Arrays for :func:`~footprint.locate.exact.highs_runner.run_mip` plus
        ``pairs`` (row, site) of the x columns and ``u_rows``.
    """
    r, m = red.cost.shape
    keep = np.isfinite(red.cost)
    if not problem.capacitated:
        cap = cost_caps(problem, red)
        keep &= red.cost <= cap[:, None]
    pr, ps = np.nonzero(keep)
    n_x = pr.size
    u_rows = np.flatnonzero(np.isfinite(red.unassigned))
    n_u = u_rows.size
    n_col = m + n_x + n_u
    c = np.concatenate([problem.fixed_or_zeros(), red.cost[pr, ps], red.unassigned[u_rows]])
    ylo, yhi = _site_columns(problem)
    lower = np.concatenate([ylo, np.zeros(n_x + n_u)])
    upper = np.concatenate([yhi, np.ones(n_x + n_u)])
    integer = np.zeros(n_col, dtype=bool)
    integer[:m] = True
    if problem.capacitated and problem.single_source:
        integer[m:] = True
    x_idx = m + np.arange(n_x)
    u_idx = m + n_x + np.arange(n_u)
    blocks_r, blocks_c, blocks_v, rlo, rhi = [], [], [], [], []
    row0 = 0
    # assignment rows: sum_j x_ij + u_i = 1
    blocks_r += [pr, u_rows]
    blocks_c += [x_idx, u_idx]
    blocks_v += [np.ones(n_x), np.ones(n_u)]
    rlo.append(np.ones(r))
    rhi.append(np.ones(r))
    row0 += r
    # linking rows: x_ij - y_j <= 0
    link = row0 + np.arange(n_x)
    blocks_r += [link, link]
    blocks_c += [x_idx, ps]
    blocks_v += [np.ones(n_x), -np.ones(n_x)]
    rlo.append(np.full(n_x, -np.inf))
    rhi.append(np.zeros(n_x))
    row0 += n_x
    if problem.capacitated:
        cap = problem.capacity
        # sum_i d_i x_ij - s_j y_j <= 0
        crow = row0 + ps
        blocks_r += [crow, row0 + np.arange(m)]
        blocks_c += [x_idx, np.arange(m)]
        blocks_v += [red.demand[pr], -cap]
        rlo.append(np.full(m, -np.inf))
        rhi.append(np.zeros(m))
        row0 += m
        if n_u == 0:
            # valid inequality: open capacity covers the demand
            blocks_r.append(np.full(m, row0))
            blocks_c.append(np.arange(m))
            blocks_v.append(cap)
            rlo.append(np.array([red.demand.sum()]))
            rhi.append(np.array([np.inf]))
            row0 += 1
    if problem.n_sites is not None:
        blocks_r.append(np.full(m, row0))
        blocks_c.append(np.arange(m))
        blocks_v.append(np.ones(m))
        rlo.append(np.array([float(problem.n_sites)]))
        rhi.append(np.array([float(problem.n_sites)]))
        row0 += 1
    a = sp.csr_array(
        (np.concatenate(blocks_v), (np.concatenate(blocks_r), np.concatenate(blocks_c))),
        shape=(row0, n_col),
    )
    return {
        "c": c, "lower": lower, "upper": upper, "integer": integer, "a": a,
        "row_lower": np.concatenate(rlo), "row_upper": np.concatenate(rhi),
        "offset": 0.0, "pairs": (pr, ps), "u_rows": u_rows, "link_row0": r,
    }


def _strong_start(problem: LocationProblem, red: Reduced, model: dict,
                  open_sites: np.ndarray) -> np.ndarray | None:
    """Warm-start vector for the strong model (uncapacitated only)."""
    if problem.capacitated:
        return None
    m = problem.n_candidates
    pr, ps = model["pairs"]
    y = np.zeros(m)
    y[open_sites] = 1.0
    sub = np.where(y[None, :] > 0, red.cost, np.inf)
    best_site = np.argmin(sub, axis=1)
    best = sub[np.arange(sub.shape[0]), best_site]
    use_u = red.unassigned < best
    x = ((ps == best_site[pr]) & ~use_u[pr]).astype(float)
    served = np.bincount(pr, weights=x, minlength=sub.shape[0])
    u = (~(served > 0))[model["u_rows"]].astype(float)
    if np.any((served == 0) & ~np.isfinite(red.unassigned)):
        return None
    return np.concatenate([y, x, u])


def _capacitated_start(problem: LocationProblem, red: Reduced, model: dict,
                       incumbent: LocationResult) -> np.ndarray:
    """Warm-start vector for the capacitated strong model from a solution."""
    n, m = problem.cost.shape
    if incumbent.allocation is not None:
        x = sp.csr_array(incumbent.allocation)
    else:
        rows = np.flatnonzero(incumbent.assignment >= 0)
        x = sp.csr_array((np.ones(rows.size), (rows, incumbent.assignment[rows])),
                         shape=(n, m))
    d = problem.demand_or_ones()
    r = red.cost.shape[0]
    member = sp.csr_array((d, (red.members, np.arange(n))), shape=(r, n))
    merged = (member @ x).toarray() / np.maximum(red.demand, 1e-300)[:, None]
    pr, ps = model["pairs"]
    xv = merged[pr, ps]
    y = np.zeros(m)
    y[incumbent.open_sites] = 1.0
    u = np.clip(1.0 - merged.sum(axis=1), 0.0, 1.0)[model["u_rows"]]
    return np.concatenate([y, xv, u])


# --------------------------------------------------------------------- radius
def radius_model(problem: LocationProblem, red: Reduced) -> dict:
    """Build the radius (Cornuejols-Nemhauser-Wolsey / Elloumi) formulation.

    For every merged row with distinct costs ``D1 < D2 < ... < DK`` (capped
    at the row's cost cap), continuous ``z_k`` = 1 when no open site costs
    ``<= Dk``. Chained rows ``z_k - z_{k-1} + sum_{j: c_j = Dk} y_j >= [k=1]``
    keep each allowed pair in exactly one row; the LP bound equals that of
    the strong formulation. Uncapacitated problems only.

    Parameters
    ----------
    problem : LocationProblem
        Uncapacitated problem.
    red : Reduced
        Merged rows.

    Returns
    -------
    dict
        Arrays for :func:`~footprint.locate.exact.highs_runner.run_mip` plus
        ``levels`` data for warm starts.
    """
    if problem.capacitated:
        raise ValueError("the radius formulation needs an uncapacitated problem")
    r, m = red.cost.shape
    cap = cost_caps(problem, red)
    cc = np.where(red.cost < cap[:, None], red.cost, np.inf)
    order = np.argsort(cc, axis=1, kind="stable")
    vals = np.take_along_axis(cc, order, axis=1)
    finite = np.isfinite(vals)
    newlvl = np.ones_like(finite)
    newlvl[:, 1:] = vals[:, 1:] != vals[:, :-1]
    newlvl &= finite
    lvl = np.cumsum(newlvl, axis=1) - 1  # 0-based level of each sorted entry
    d = newlvl.sum(axis=1)  # distinct levels per row
    capped = np.isfinite(cap)
    if np.any((d == 0) & ~capped):
        raise ValueError("a demand group has no allowed site and no unassigned option")
    nz = np.where(capped, d, np.maximum(d - 1, 0))  # z columns per row
    row_off = np.concatenate([[0], np.cumsum(d)[:-1]])
    z_off = m + np.concatenate([[0], np.cumsum(nz)[:-1]])
    n_rows, n_z = int(d.sum()), int(nz.sum())
    n_col = m + n_z
    # level values per row: D_1..D_d (+ cap)
    li, lp = np.nonzero(newlvl)
    lvl_val = vals[li, lp]  # ordered by row then level
    lvl_row = li
    lvl_k = lvl[li, lp]
    # next level value (for z coefficient)
    nxt = np.empty_like(lvl_val)
    nxt[:-1] = lvl_val[1:]
    last = np.ones(lvl_val.size, dtype=bool)
    last[:-1] = lvl_row[1:] != lvl_row[:-1]
    nxt[last] = cap[lvl_row[last]]
    has_z = lvl_k < nz[lvl_row]
    zcol = z_off[lvl_row] + lvl_k
    c = np.zeros(n_col)
    c[: m] = problem.fixed_or_zeros()
    c[zcol[has_z]] = (nxt - lvl_val)[has_z]
    first_val = np.where(d > 0, vals[:, 0], cap)
    offset = float(np.sum(first_val))
    # y entries
    yi, yp = np.nonzero(finite)
    rows_y = row_off[yi] + lvl[yi, yp]
    cols_y = order[yi, yp]
    # +z_k in row k, -z_{k-1} in row k
    grow = row_off[lvl_row] + lvl_k
    prev = lvl_k >= 1
    rows = np.concatenate([rows_y, grow[has_z], grow[prev]])
    cols = np.concatenate([cols_y, zcol[has_z], zcol[prev] - 1])
    data = np.concatenate([np.ones(rows_y.size), np.ones(int(has_z.sum())),
                           -np.ones(int(prev.sum()))])
    rlo = np.where(lvl_k == 0, 1.0, 0.0)
    blocks_r, blocks_c, blocks_v = [rows], [cols], [data]
    rlo_l, rhi_l = [rlo], [np.full(n_rows, np.inf)]
    if problem.n_sites is not None:
        blocks_r.append(np.full(m, n_rows))
        blocks_c.append(np.arange(m))
        blocks_v.append(np.ones(m))
        rlo_l.append(np.array([float(problem.n_sites)]))
        rhi_l.append(np.array([float(problem.n_sites)]))
        n_rows += 1
    a = sp.csr_array(
        (np.concatenate(blocks_v), (np.concatenate(blocks_r), np.concatenate(blocks_c))),
        shape=(n_rows, n_col),
    )
    ylo, yhi = _site_columns(problem)
    lower = np.concatenate([ylo, np.zeros(n_z)])
    upper = np.concatenate([yhi, np.ones(n_z)])
    integer = np.zeros(n_col, dtype=bool)
    integer[:m] = True
    return {
        "c": c, "lower": lower, "upper": upper, "integer": integer, "a": a,
        "row_lower": np.concatenate(rlo_l), "row_upper": np.concatenate(rhi_l),
        "offset": offset,
        "levels": (lvl_row[has_z], lvl_val[has_z], zcol[has_z]),
        "cap": cap,
    }


def _radius_start(problem: LocationProblem, red: Reduced, model: dict,
                  open_sites: np.ndarray) -> np.ndarray:
    m = problem.n_candidates
    y = np.zeros(m)
    y[open_sites] = 1.0
    sub = np.where(y[None, :] > 0, red.cost, np.inf).min(axis=1)
    served = np.minimum(sub, model["cap"])
    lrow, lval, zcol = model["levels"]
    x = np.zeros(model["c"].size)
    x[:m] = y
    x[zcol] = (served[lrow] > lval).astype(float)
    return x


# ---------------------------------------------------------------------- solve
def choose_formulation(problem: LocationProblem) -> str:
    """Pick the formulation that was faster on the OR-Library p-medians.

    ``"lagrangian"`` (branch and bound on the Lagrangian bound,
    :mod:`footprint.locate.exact.lagrangian_uncapacitated`) for uncapacitated problems: it
    proved all 40 pmed instances, where HiGHS on the strong or radius
    formulation stalls on the degenerate root LP of the few-sites ones;
    With capacities ``"strong"``, or ``"lagrangian-split"`` (branch and
    bound on the Lagrangian bound with a covering knapsack,
    :func:`footprint.locate.exact.lagrangian_capacitated.solve_split`) when demand may be
    split, ``n_sites`` is free and there are at least
    :data:`~footprint.locate.exact.lagrangian_capacitated.MIN_PAIRS` pairs: on the
    OR-Library capa/b/c (100 x 1000) HiGHS alone needs about a minute for
    the root LP of the strong model; the tree proves all 12 in seconds.
    """
    if problem.capacitated:
        big = problem.n_groups * problem.n_candidates >= capacitated.MIN_PAIRS
        return "lagrangian-split" if big and capacitated.applies(problem) else "strong"
    return "lagrangian"


def solve_exact(
    problem: LocationProblem,
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    warm_start: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    progress_span: tuple[float, float] = (0.0, 1.0),
    formulation: str = "auto",
    incumbent: LocationResult | None = None,
    highs_options: dict | None = None,
) -> LocationResult:
    """Solve a problem to proven optimality (or until the time limit).

    Parameters
    ----------
    problem : LocationProblem
        The problem.
    time_limit : float
        Wall-clock limit for building and solving [s].
    mip_gap : float
        Relative gap at which HiGHS stops [fraction].
    warm_start : numpy.ndarray, optional
        Open sites of a feasible solution, passed to HiGHS.
    progress : callable, optional
        ``progress(fraction, message)``; True cancels.
    progress_span : tuple of float
        Part of the progress bar this call covers.
    formulation : str
        ``"auto"``, ``"lagrangian"`` (uncapacitated only), ``"strong"``,
        ``"radius"``; capacitated with split demand and no ``n_sites``
        also ``"lagrangian-split"`` (Lagrangian tree) and ``"strong-reduced"``
        (HiGHS on the strong model after the tree's root site fixing, with
        lazy linking rows). Capacitated models over
        :data:`~footprint.locate.exact.restricted_model.MAX_PAIRS` pairs are never handed
        to HiGHS whole: :func:`~footprint.locate.exact.restricted_model.solve_restricted`
        bounds them and searches a part (``"strong-restricted"``: the strong
        model of that part, whatever its size).
    incumbent : LocationResult, optional
        A known feasible solution; returned when HiGHS finds nothing better
        (the result is never worse than it).
    highs_options : dict, optional
        Extra HiGHS options for the MIP (formulations run by HiGHS only).

    Returns
    -------
    LocationResult
        Status ``"infeasible"`` only when HiGHS proves it; when HiGHS stops
        for another reason than the time limit (memory, node or solution
        limit, numerical trouble ...) the best plan known with status
        ``"feasible"`` and the reason in ``message``.
    """
    t0 = time.perf_counter()
    if formulation == "auto":
        formulation = choose_formulation(problem)
    if formulation == "lagrangian":
        incumbent = _feasible_start(problem, incumbent, warm_start, time_limit)
        if incumbent is not None:
            res = solve_lagrangian(
                problem, incumbent, time_limit=time_limit - (time.perf_counter() - t0),
                mip_gap=mip_gap, progress=progress, progress_span=progress_span)
            return replace(res, seconds=time.perf_counter() - t0)
        formulation = "strong"  # nothing feasible found: let HiGHS decide
    if formulation in ("lagrangian-split", "strong-reduced"):
        if not capacitated.applies(problem):
            raise ValueError(f"{formulation!r} needs capacities, split demand and no n_sites")
        incumbent = _feasible_start(problem, incumbent, warm_start, time_limit)
        if incumbent is None:
            formulation = "strong"  # nothing to prune with: let HiGHS decide
    if formulation == "lagrangian-split":
        res = capacitated.solve_split(
            problem, aggregate_rows(problem), incumbent,
            time_limit=time_limit - (time.perf_counter() - t0), mip_gap=mip_gap,
            progress=progress, progress_span=progress_span)
        return replace(res, seconds=time.perf_counter() - t0)
    red = aggregate_rows(problem)
    if formulation in ("strong", "strong-reduced") and restricted.too_large(problem, red):
        # never hand HiGHS a model that does not fit: bound the whole problem, search a part
        incumbent = _feasible_start(problem, incumbent, warm_start, time_limit)
        if incumbent is None:
            return _no_plan(problem, "no feasible start was found and the whole model is too large for "
                            "HiGHS (this does not prove there is no plan)", time.perf_counter() - t0)
        res = restricted.solve_restricted(
            problem, red, incumbent, time_limit=time_limit - (time.perf_counter() - t0),
            mip_gap=mip_gap, progress=progress, progress_span=progress_span)
        return replace(res, seconds=time.perf_counter() - t0)
    if formulation == "strong-restricted":  # the part that solve_restricted hands over
        formulation = "strong"
    split: capacitated.SplitReduction | None = None
    if formulation == "strong-reduced":
        lo_f, hi_f = progress_span
        split = capacitated.reduce_split(
            problem, red, incumbent, time_limit=PREP_SHARE * time_limit, mip_gap=mip_gap,
            progress=progress, progress_span=(lo_f, lo_f + PREP_SHARE * (hi_f - lo_f)))
        incumbent = split.incumbent
        progress_span = (lo_f + PREP_SHARE * (hi_f - lo_f), hi_f)
        if split.model is None:
            if split.cancelled and incumbent is not None:
                return _split_result(incumbent, split, "cancelled", time.perf_counter() - t0)
            if incumbent is not None and relative_gap(split.upper, split.bound) <= mip_gap:
                return _split_result(incumbent, split, "optimal", time.perf_counter() - t0)
            split = None  # no solution known: nothing could be fixed
            formulation = "strong"
    if formulation == "radius":
        model = radius_model(problem, red)
    elif formulation == "strong":
        model = strong_model(problem, red)
    elif formulation == "strong-reduced" and split is not None:
        model = split.model
    else:
        raise ValueError(f"unknown formulation {formulation!r}")
    start = None
    if warm_start is not None:
        ws = np.unique(np.asarray(warm_start, dtype=np.intp))
        start = (_radius_start if formulation == "radius" else _strong_start)(
            problem, red, model, ws
        )
    if (start is None and problem.capacitated and formulation.startswith("strong")
            and incumbent is not None and math.isfinite(incumbent.objective)):
        start = _capacitated_start(problem, red, model, incumbent)
    fixed_msg = ""
    if (problem.capacitated and problem.single_source and formulation == "strong"
            and start is not None and incumbent is not None
            and math.isfinite(incumbent.objective)):
        # single source: binary x make HiGHS's presolve and root cut loop on
        # the full n x m model slow; fixing columns first pays off (demo:
        # 80 000 of 102 000 columns gone). Split demand: the MIP's own root
        # LP does the same work, so an extra LP would only cost time.
        remaining = time_limit - (time.perf_counter() - t0)
        model, start, fixed_msg = _reduced_cost_fixing(
            model, start, incumbent.objective, problem.n_candidates, 0.3 * remaining)
    remaining = time_limit - (time.perf_counter() - t0)
    out: MipOutcome = run_mip(
        model["c"], model["lower"], model["upper"], model["integer"], model["a"],
        model["row_lower"], model["row_upper"], offset=model["offset"],
        time_limit=max(remaining, 0.01), mip_gap=mip_gap, start=start,
        progress=progress, progress_span=progress_span, highs_options=highs_options,
    )
    if split is not None:
        fixed_msg = split.message
    if fixed_msg:
        out.message = f"{out.message}; {fixed_msg}"
    method = f"exact:highs-{formulation}"
    m = problem.n_candidates
    bound = out.bound
    if split is not None:
        # the reduced model holds every solution better than split.upper
        red_bound = min(bound, split.upper) if math.isfinite(bound) else -math.inf
        bound = max(red_bound, split.bound)
        if not math.isfinite(bound):
            bound = math.nan
    has_incumbent = incumbent is not None and math.isfinite(incumbent.objective)
    if out.x is None:
        if has_incumbent:
            return _replace_status(incumbent, out, method, bound, time.perf_counter() - t0)
        return _no_plan(problem, _stop_message(out, None), time.perf_counter() - t0,
                        status=_result_status(out.status), method=method, bound=bound)
    y = out.x[:m]
    open_sites = np.flatnonzero(y > 0.5)
    allocation = None
    if problem.capacitated:
        pr, ps = model["pairs"]
        xv = out.x[m : m + pr.size]
        if problem.single_source:
            xv = np.round(xv)
        frac = sp.csr_array(
            (xv, (pr, ps)), shape=red.cost.shape
        )
        full = sp.csr_array(frac[red.members])  # expand merged rows
        full.data[full.data < 1e-9] = 0.0
        full.eliminate_zeros()
        dense_arg = full.argmax(axis=1)
        served = np.asarray(full.sum(axis=1)).ravel()
        assignment = np.where(served > 1e-9, np.asarray(dense_arg).ravel(), -1).astype(np.intp)
        if not problem.single_source:
            allocation = full
        objective = evaluate(problem, open_sites, assignment, allocation)
    else:
        assignment = nearest_assignment(problem, open_sites)
        objective = evaluate(problem, open_sites, assignment)
    if has_incumbent and not incumbent.objective >= objective - 1e-9 * abs(objective):
        # HiGHS's plan is worse than the start (or not finite): keep the start
        return _replace_status(incumbent, out, method, bound, time.perf_counter() - t0)
    bound = min(bound, objective) if math.isfinite(bound) else bound
    return LocationResult(
        open_sites=open_sites, assignment=assignment, allocation=allocation,
        objective=objective, bound=bound,
        gap=relative_gap(objective, bound), status=_result_status(out.status), method=method,
        seconds=time.perf_counter() - t0, message=_stop_message(out, "the best plan found"),
    )


def _reduced_cost_fixing(model: dict, start: np.ndarray, upper_bound: float, m: int,
                         time_limit: float) -> tuple[dict, np.ndarray, str]:
    """Drop assignment columns that cannot be in a solution better than
    ``upper_bound`` (LP reduced-cost fixing; exact).

    With the LP relaxation value ``z`` and reduced cost ``rc_k >= 0`` of a
    column at zero, every solution using that column costs at least
    ``z + rc_k``; if that exceeds the incumbent's value the column (and its
    linking row) is removed. The incumbent itself stays feasible, so the
    reduced MIP's bound is a valid bound for the full problem.
    """
    if time_limit < 0.5:
        return model, start, ""
    lp = run_lp(model["c"], model["lower"], model["upper"], model["a"],
                model["row_lower"], model["row_upper"], time_limit=time_limit)
    if lp is None:
        return model, start, ""
    z, xv, rc = lp
    z += model["offset"]
    pr, ps = model["pairs"]
    n_x = pr.size
    slack = upper_bound * (1 + 1e-9) + 1e-6 - z
    if slack < 0:  # numerically the incumbent is LP-optimal: keep everything
        return model, start, ""
    xs = slice(m, m + n_x)
    drop_x = (xv[xs] < 1e-9) & (rc[xs] > slack) & (start[xs] < 0.5)
    if not drop_x.any():
        return model, start, ""
    keep_cols = np.ones(model["c"].size, dtype=bool)
    keep_cols[m:m + n_x] = ~drop_x
    r = int(model["link_row0"])  # linking row of x column k is r + k
    keep_rows = np.ones(model["row_lower"].size, dtype=bool)
    keep_rows[r + np.flatnonzero(drop_x)] = False
    a = sp.csr_array(model["a"][keep_rows][:, keep_cols])
    upper = model["upper"][keep_cols].copy()
    # sites whose opening alone lifts the LP above the incumbent stay closed
    y_rc = rc[:m]
    close = (xv[:m] < 1e-9) & (y_rc > slack) & (start[:m] < 0.5) & (model["lower"][:m] < 0.5)
    upper[:m][close] = 0.0
    new = dict(model)
    new.update(
        c=model["c"][keep_cols], lower=model["lower"][keep_cols], upper=upper,
        integer=model["integer"][keep_cols], a=a,
        row_lower=model["row_lower"][keep_rows], row_upper=model["row_upper"][keep_rows],
        pairs=(pr[~drop_x], ps[~drop_x]),
    )
    msg = (f"LP bound {z:,.6g}; reduced-cost fixing removed {int(drop_x.sum())} of {n_x} "
           f"assignment columns and closed {int(close.sum())} sites")
    return new, start[keep_cols], msg


def _feasible_start(problem: LocationProblem, incumbent: LocationResult | None,
                    warm_start: np.ndarray | None, time_limit: float) -> LocationResult | None:
    """The given incumbent if feasible, else a quick greedy + descent one (None if none found).

    The Lagrangian trees prune against it, so they need one before they start.
    """
    if incumbent is None or not math.isfinite(incumbent.objective):
        incumbent = solve_heuristic(problem, time_limit=min(1.0, 0.1 * time_limit),
                                    warm_start=warm_start, max_iter=0)
    return incumbent if math.isfinite(incumbent.objective) else None


def _split_result(inc: LocationResult, split: capacitated.SplitReduction, status: str,
                  seconds: float) -> LocationResult:
    """The incumbent of :func:`capacitated.reduce_split` when no MIP was run."""
    bound = min(split.bound, inc.objective) if math.isfinite(split.bound) else math.nan
    return LocationResult(
        open_sites=inc.open_sites, assignment=inc.assignment, allocation=inc.allocation,
        objective=inc.objective, bound=bound, gap=relative_gap(inc.objective, bound),
        status=status, method="exact:lagrangian-split+" + inc.method, seconds=seconds,
        message=split.message)


def _no_plan(problem: LocationProblem, message: str, seconds: float, *, status: str = "time_limit",
             method: str = "exact", bound: float = math.nan) -> LocationResult:
    """A result without a plan (``objective`` inf): nothing feasible is known."""
    return LocationResult(
        open_sites=np.zeros(0, dtype=np.intp),
        assignment=np.full(problem.n_groups, -1, dtype=np.intp),
        allocation=None, objective=math.inf, bound=bound, gap=math.nan,
        status=status, method=method, seconds=seconds, message=message,
    )


def _result_status(mip_status: str) -> str:
    """:class:`LocationResult` status for a :class:`MipOutcome` status.

    ``"stopped"`` (HiGHS stopped for another reason than the time limit) is
    reported as ``"feasible"``: a plan without a proof, never ``"infeasible"``.
    """
    return "feasible" if mip_status == "stopped" else mip_status


def _stop_message(out: MipOutcome, returned: str | None) -> str:
    """``out.message``, spelled out when HiGHS stopped without a proof."""
    if out.status != "stopped":
        return out.message
    what = (f"returning {returned}" if returned is not None
            else "no feasible plan known (this does not prove there is none)")
    return f"{out.message}; {what}"


def _replace_status(inc: LocationResult, out: MipOutcome, method: str, bound: float,
                    seconds: float) -> LocationResult:
    """The incumbent, with HiGHS's bound and why HiGHS stopped."""
    if out.status == "infeasible":
        # the incumbent is feasible, so this "proof" is numerical trouble
        status = "feasible"
        message = (f"{out.message}, but the start plan is feasible (numerical trouble?); "
                   "returning the start plan")
    else:
        status = _result_status(out.status)
        message = _stop_message(out, "the start plan")
    if math.isfinite(bound):
        bound = min(bound, inc.objective)
    return LocationResult(
        open_sites=inc.open_sites, assignment=inc.assignment, allocation=inc.allocation,
        objective=inc.objective, bound=bound, gap=relative_gap(inc.objective, bound),
        status=status, method=method + "+" + inc.method, seconds=seconds,
        message=message,
    )
