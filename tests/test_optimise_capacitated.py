"""Split-demand capacitated problems: covering knapsack, Lagrangian bound,
site fixing, reduced strong model and the Lagrangian tree."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import evaluate, solution_violations
from footprint.locate.exact import lagrangian_capacitated as cap
from footprint.locate.exact.highs_models import (
    choose_formulation,
    solve_exact,
    strong_model,
)
from footprint.locate.exact.reductions import aggregate_rows
from footprint.locate.feasibility import check_feasibility
from footprint.locate.instances.brute_force import brute_force
from footprint.locate.instances.or_library import read_cap, read_optima

ORLIB = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib" / "cap"
needs_orlib = pytest.mark.skipif(not ORLIB.is_dir(), reason="OR-Library data not available")


def _lp_value(model: dict) -> float:
    """LP relaxation value of a model dict (HiGHS, no integrality)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    a = sp.csr_array(model["a"])
    a.sort_indices()
    c = model["c"]
    h.addCols(c.size, c, model["lower"], model["upper"], 0, np.zeros(0, np.int32),
              np.zeros(0, np.int32), np.zeros(0))
    h.addRows(a.shape[0], model["row_lower"], model["row_upper"], a.nnz,
              a.indptr[:-1].astype(np.int32), a.indices.astype(np.int32), a.data)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value) + model["offset"]


def _random_split(rng: np.random.Generator, n: int, m: int, *, extras: bool
                  ) -> LocationProblem:
    """Random split-demand problem; with ``extras`` forbidden pairs, a forced
    site, unassigned costs and zero demands."""
    cost = rng.integers(1, 40, (n, m)).astype(float)
    demand = rng.integers(1, 5, n).astype(float)
    allowed = forced = unassigned = None
    if extras:
        allowed = rng.random((n, m)) < 0.8
        forced = np.zeros(m, dtype=bool)
        forced[rng.integers(m)] = rng.random() < 0.5
        if rng.random() < 0.5:
            unassigned = rng.integers(20, 80, n).astype(float)
        demand[rng.random(n) < 0.2] = 0.0
    return LocationProblem(
        cost=cost, demand=demand, capacity=rng.integers(3, 10, m).astype(float),
        fixed_cost=rng.integers(0, 30, m).astype(float), allowed=allowed,
        forced_open=forced, unassigned_cost=unassigned)


# ------------------------------------------------------------ knapsack
def _knapsack_brute(g: np.ndarray, s: np.ndarray, need: float, state: np.ndarray) -> float:
    best = math.inf
    for bits in itertools.product([False, True], repeat=g.size):
        y = np.array(bits)
        if np.any(y & (state == -1)) or np.any(~y & (state == 1)):
            continue
        if s[y].sum() >= need:
            best = min(best, float(g[y].sum()))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_cover_knapsack_matches_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 9))
    g = rng.normal(5.0, 6.0, m)
    # equal sizes in half the draws (ties stress the pruning)
    s = np.full(m, 4.0) if seed % 2 else rng.integers(0, 10, m).astype(float)
    need = float(rng.integers(0, 30))
    state = rng.integers(-1, 2, m) if seed % 3 == 0 else np.zeros(m, dtype=int)
    value, y = cap.cover_knapsack(g, s, need, state)
    expected = _knapsack_brute(g, s, need, state)
    if math.isinf(expected):
        assert math.isinf(value)
        return
    assert value == pytest.approx(expected, abs=1e-9)
    assert g[y].sum() == pytest.approx(value, abs=1e-9)
    assert s[y].sum() >= need
    assert not np.any(y & (state == -1)) and np.all(y[state == 1])


def test_cover_knapsack_equal_sizes_is_cardinality() -> None:
    # 54 equal sites, 7 needed: the LP bound alone would enumerate C(54, 7)
    g = np.full(54, 1000.0) + 1e-3 * np.arange(54)
    value, y = cap.cover_knapsack(g, np.full(54, 8000.0), 50886.0)
    assert y.sum() == 7 and value == pytest.approx(g[:7].sum())


@pytest.mark.parametrize("seed", range(3))
def test_cover_knapsack_many_items_matches_dp(seed: int) -> None:
    # more items than KNAPSACK_TABLE_ITEMS: the one-row cardinality table
    rng = np.random.default_rng(seed)
    m = cap.KNAPSACK_TABLE_ITEMS + 60
    s = rng.integers(1, 12, m)
    g = s * 10.0 + rng.normal(0.0, 3.0, m)
    need = int(s.sum() // 3)
    # DP over covered size (capped at need): best[c] = min cost to cover c
    best = np.full(need + 1, np.inf)
    best[0] = 0.0
    for gi, si in zip(g, s, strict=True):
        prev = best.copy()
        for c in range(need + 1):
            if np.isfinite(prev[c]):
                t = min(need, c + si)
                best[t] = min(best[t], prev[c] + gi)
    value, y = cap.cover_knapsack(g, s.astype(float), float(need))
    assert value == pytest.approx(best[need], abs=1e-6)
    assert s[y].sum() >= need


# ------------------------------------------------------------ building blocks
def test_transport_hand_built() -> None:
    # 2 sites (capacity 3 and 10), 3 customers of demand 2; site 0 is cheap
    cost = np.array([[1.0, 5.0], [1.0, 6.0], [1.0, 9.0]])
    problem = LocationProblem(cost=cost, demand=np.full(3, 2.0),
                              capacity=np.array([3.0, 10.0]), fixed_cost=np.array([4.0, 7.0]))
    red = aggregate_rows(problem)
    value, x = cap.transport(problem, red, np.array([0, 1]))
    # site 0 takes 3 units: 2 of the row with the dearest alternative (9)
    # and half of the next (6), the rest goes to site 1
    assert value == pytest.approx(4 + 7 + (1 + 0.5 + 0.5 * 6 + 5))
    assert x is not None
    load = (x.toarray() * red.demand[:, None]).sum(axis=0)
    assert load[0] <= 3.0 + 1e-9
    assert math.isinf(cap.transport(problem, red, np.array([0]))[0])


def test_lagrangian_bound_is_valid_and_tight_on_cap41() -> None:
    if not ORLIB.is_dir():
        pytest.skip("OR-Library data not available")
    opt = read_optima(ORLIB / "capopt.txt")
    for name in ("cap41", "cap71", "cap101", "cap131"):
        problem = read_cap(ORLIB / f"{name}.txt")
        red = aggregate_rows(problem)
        bound, lam = cap.lagrangian_split_bound(problem, red, opt[name])
        assert bound <= opt[name] * (1 + 1e-9)
        full_lp = _lp_value(strong_model(problem, red))
        # the integer knapsack makes the bound at least about the LP bound
        assert bound >= full_lp * (1 - 2e-3)
        assert lam.shape == (red.cost.shape[0],)


@needs_orlib
@pytest.mark.parametrize("name", ["cap41", "cap64", "cap94", "cap124"])
def test_reduced_model_keeps_the_optimum(name: str) -> None:
    problem = read_cap(ORLIB / f"{name}.txt")
    opt = read_optima(ORLIB / "capopt.txt")[name]
    red = aggregate_rows(problem)
    # a deliberately poor incumbent: the fixings must not cut off the optimum
    inc = solve(problem, "heuristic", time_limit=0.2)
    out = cap.reduce_split(problem, red, inc, time_limit=10.0)
    assert out.bound <= opt + 1e-3 and out.upper >= opt - 1e-3
    assert out.incumbent is not None and out.incumbent.objective == pytest.approx(out.upper)
    if out.model is None:  # the root proved the incumbent
        assert out.upper == pytest.approx(opt, abs=2e-3)
        return
    assert not np.any(out.closed[out.incumbent.open_sites])
    best = solve_exact(problem, formulation="strong", mip_gap=0.0)
    if best.objective < out.upper - 1e-6:
        # a strictly better solution than the incumbent respects the fixings
        assert not np.any(out.closed[best.open_sites])
        assert np.all(np.isin(np.flatnonzero(out.forced), best.open_sites))
    # the reduced model's LP relaxation is a valid bound at least as good
    # as that of the unreduced strong model without the cardinality cut
    lp = _lp_value(out.model)
    assert lp <= opt + 1e-3


@needs_orlib
def test_lazy_links_lp_close_to_strong_lp() -> None:
    # without any site fixing, keeping only the links c_ij - lambda_i < 0
    # loses little of the strong LP bound (the cardinality cut adds more)
    problem = read_cap(ORLIB / "cap71.txt")
    red = aggregate_rows(problem)
    opt = read_optima(ORLIB / "capopt.txt")["cap71"]
    _, lam = cap.lagrangian_split_bound(problem, red, opt)
    m = problem.n_candidates
    none = np.zeros(m, dtype=bool)
    lazy = cap.reduced_strong_model(problem, red, lam, none, none)
    full = strong_model(problem, red)
    assert lazy["n_links"] < full["pairs"][0].size
    lp_lazy, lp_full = _lp_value(lazy), _lp_value(full)
    assert lp_lazy <= opt + 1e-3
    assert lp_lazy >= lp_full * (1 - 1e-3)


# ------------------------------------------------------------ exact results
@needs_orlib
@pytest.mark.parametrize("formulation", ["lagrangian-split", "strong-reduced"])
@pytest.mark.parametrize("name", ["cap41", "cap72", "cap103", "cap134"])
def test_published_optima(formulation: str, name: str) -> None:
    problem = read_cap(ORLIB / f"{name}.txt")
    opt = read_optima(ORLIB / "capopt.txt")[name]
    res = solve_exact(problem, formulation=formulation, mip_gap=1e-6, time_limit=30)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(opt, abs=2e-3)
    assert res.bound <= opt + 2e-3
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert res.objective == pytest.approx(
        evaluate(problem, res.open_sites, res.assignment, res.allocation), rel=1e-12)


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("formulation", ["lagrangian-split", "strong-reduced"])
def test_matches_brute_force(seed: int, formulation: str) -> None:
    rng = np.random.default_rng(500 + seed)
    problem = _random_split(rng, n=7, m=5, extras=seed % 4 != 0)
    if check_feasibility(problem):
        return
    best = brute_force(problem)
    res = solve_exact(problem, formulation=formulation, mip_gap=0.0, time_limit=10)
    if math.isinf(best):
        assert res.status == "infeasible" or not math.isfinite(res.objective)
        return
    assert res.status == "optimal"
    assert res.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert res.bound <= best + 1e-6
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert np.all(np.isin(np.flatnonzero(problem.forced_or_none()), res.open_sites))


@pytest.mark.parametrize("seed", range(6))
def test_tree_without_incumbent(seed: int) -> None:
    # no starting solution: the tree prices its relaxed open sets
    rng = np.random.default_rng(900 + seed)
    problem = _random_split(rng, n=7, m=5, extras=False)
    best = brute_force(problem)
    res = cap.solve_split(problem, aggregate_rows(problem), None, time_limit=10, mip_gap=0.0)
    if math.isinf(best):
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    assert res.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)


def test_tight_capacities_hand_built() -> None:
    # 3 sites of capacity 5 and total demand 9: two sites must open; the
    # cheapest pair by fixed cost (0, 1) cannot serve customer 3 cheaply
    cost = np.array([[1.0, 2.0, 9.0],
                     [2.0, 1.0, 9.0],
                     [9.0, 9.0, 1.0],
                     [1.0, 1.0, 20.0]])
    demand = np.array([3.0, 3.0, 2.0, 1.0])
    problem = LocationProblem(cost=cost, demand=demand, capacity=np.full(3, 5.0),
                              fixed_cost=np.array([10.0, 10.0, 14.0]))
    res = solve_exact(problem, formulation="lagrangian-split", mip_gap=0.0)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(brute_force(problem))
    assert res.open_sites.size >= 2
    load = np.asarray((res.allocation.toarray() * demand[:, None]).sum(axis=0)).ravel()
    assert np.all(load <= problem.capacity + 1e-9)


# ------------------------------------------------------------ choice and limits
def test_choice_of_formulation() -> None:
    rng = np.random.default_rng(1)
    big = LocationProblem(cost=rng.random((250, 100)), demand=np.ones(250),
                          capacity=np.full(100, 10.0), fixed_cost=np.ones(100))
    assert choose_formulation(big) == "lagrangian-split"
    small = LocationProblem(cost=rng.random((20, 5)), demand=np.ones(20),
                            capacity=np.full(5, 10.0))
    assert choose_formulation(small) == "strong"
    single = LocationProblem(cost=rng.random((250, 100)), demand=np.ones(250),
                             capacity=np.full(100, 10.0), single_source=True)
    assert choose_formulation(single) == "strong"
    with_p = LocationProblem(cost=rng.random((250, 100)), demand=np.ones(250),
                             capacity=np.full(100, 10.0), n_sites=5)
    assert choose_formulation(with_p) == "lagrangian-split"  # the knapsack has a count
    with pytest.raises(ValueError, match="split demand"):
        solve_exact(single, formulation="lagrangian-split")


def _clustered(seed: int, n: int = 400, m: int = 60) -> LocationProblem:
    rng = np.random.default_rng(seed)
    cust, sites = rng.random((n, 2)), rng.random((m, 2))
    demand = rng.integers(5, 35, n).astype(float)
    dist = np.sqrt(((cust[:, None, :] - sites[None, :, :]) ** 2).sum(-1))
    return LocationProblem(cost=1000.0 * dist * demand[:, None], demand=demand,
                           capacity=np.full(m, 1.15 * demand.sum() / 8),
                           fixed_cost=rng.uniform(5e4, 9e4, m))


def test_auto_on_a_larger_problem() -> None:
    problem = _clustered(3)
    assert choose_formulation(problem) == "lagrangian-split"
    res = solve(problem, "exact", time_limit=60, mip_gap=1e-6)
    assert res.method.startswith("exact:lagrangian-split")
    assert "tree: 0 nodes" not in res.message  # the tree had work to do
    ref = solve_exact(problem, formulation="strong", mip_gap=1e-6, time_limit=120)
    assert ref.status == "optimal" and res.status == "optimal"
    assert res.objective == pytest.approx(ref.objective, rel=2e-6)
    assert res.bound <= ref.objective * (1 + 1e-9)
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)


def test_cancel_and_time_limit() -> None:
    problem = _clustered(4)
    res = solve_exact(problem, formulation="lagrangian-split", time_limit=30,
                      progress=lambda frac, msg: True)
    assert res.status == "cancelled" and math.isfinite(res.objective)
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    # stopped at the first report: the bound is the root's, not a proof
    assert math.isnan(res.bound) or res.bound < res.objective
    res = solve_exact(problem, formulation="lagrangian-split", time_limit=0.3)
    assert res.status in ("time_limit", "optimal")
    if math.isfinite(res.bound):
        assert res.bound <= res.objective + 1e-9
