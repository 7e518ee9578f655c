"""Capacities with a fixed number of open sites p: the count knapsack, the
Lagrangian bound and tree against brute force, single source with the split
bound, time limits and verdicts."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import solution_violations
from footprint.locate.exact import lagrangian_capacitated as cap
from footprint.locate.exact.highs_models import solve_exact
from footprint.locate.exact.reductions import aggregate_rows
from footprint.locate.instances.brute_force import brute_force


def _random(
    rng: np.random.Generator,
    n: int,
    m: int,
    p: int,
    *,
    single_source: bool = False,
    extras: bool = False,
) -> LocationProblem:
    """Random capacitated problem with ``n_sites = p`` and capacities that can serve everyone."""
    cost = rng.integers(1, 40, (n, m)).astype(float)
    demand = rng.integers(1, 5, n).astype(float)
    capacity = rng.integers(2, 9, m).astype(float)
    # the p largest sites can serve all demand
    top = np.sort(capacity)[::-1][:p].sum()
    if top < demand.sum():
        capacity *= 1.05 * demand.sum() / top
    allowed = unassigned = None
    if extras:
        allowed = rng.random((n, m)) < 0.85
        allowed[:, 0] = True  # every group has a site
        unassigned = rng.integers(30, 90, n).astype(float)
    return LocationProblem(
        cost=cost,
        demand=demand,
        capacity=capacity,
        n_sites=p,
        single_source=single_source,
        allowed=allowed,
        unassigned_cost=unassigned,
    )


# ------------------------------------------------------------ count knapsack
def _card_brute(g, s, need, p, state) -> float:
    best = math.inf
    for combo in itertools.combinations(range(g.size), p):
        y = np.zeros(g.size, dtype=bool)
        y[list(combo)] = True
        if np.any(y & (state == -1)) or np.any(~y & (state == 1)):
            continue
        if s[y].sum() >= need - 1e-12:
            best = min(best, float(g[y].sum()))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_card_knapsack_bounds_and_matches_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 9))
    p = int(rng.integers(1, m + 1))
    g = rng.normal(0.0, 5.0, m)
    s = rng.integers(1, 10, m).astype(float)
    need = float(rng.uniform(0, s.sum()))
    state = rng.choice([-1, 0, 0, 0, 1], m)
    value, y, exact = cap.card_knapsack(g, s, need, p, state)
    ref = _card_brute(g, s, need, p, state)
    if math.isinf(ref):
        assert math.isinf(value)
        return
    assert value <= ref + 1e-9  # always a lower bound
    assert y.sum() == p and s[y].sum() >= need - 1e-9  # a feasible choice
    assert np.all(y[state == 1]) and not np.any(y[state == -1])
    if exact:
        assert value == pytest.approx(ref, abs=1e-9)
        assert float(g[y].sum()) == pytest.approx(ref, abs=1e-9)


def test_card_knapsack_hand_built() -> None:
    g = np.array([3.0, 1.0, 2.0, 5.0])
    s = np.array([1.0, 1.0, 5.0, 5.0])
    # two cheapest {1, 2} cover 6
    assert cap.card_knapsack(g, s, 6.0, 2)[:1] == (3.0,)
    # cover 7 needs {2, 3} = 7; the dual bound lies between the count-only 3 and 7
    value, y, exact = cap.card_knapsack(g, s, 7.0, 2)
    assert (
        not exact and 3.0 <= value <= 7.0 + 1e-9 and list(np.flatnonzero(y)) == [2, 3]
    )
    # no two sites cover 11
    assert math.isinf(cap.card_knapsack(g, s, 11.0, 2)[0])


# -------------------------------------------------- bound and tree vs brute force
@pytest.mark.parametrize("seed", range(12))
def test_fixed_p_bound_below_brute_force(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    m = int(rng.integers(4, 8))
    problem = _random(
        rng, int(rng.integers(5, 12)), m, int(rng.integers(2, m)), extras=seed % 3 == 0
    )
    opt = brute_force(problem)
    assert math.isfinite(opt)
    bound, _ = cap.lagrangian_split_bound(
        problem, aggregate_rows(problem), target=opt, max_passes=500
    )
    assert bound <= opt * (1 + 1e-9) + 1e-9
    assert bound > 0.5 * opt  # and not a trivial one


@pytest.mark.parametrize("seed", range(10))
def test_tree_proves_the_brute_force_optimum(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    m = int(rng.integers(4, 8))
    p = int(rng.integers(2, m))
    problem = _random(rng, int(rng.integers(6, 14)), m, p, extras=seed % 2 == 1)
    opt = brute_force(problem)
    res = solve_exact(
        problem, formulation="lagrangian-split", time_limit=30, mip_gap=1e-9
    )
    assert res.status == "optimal"
    assert res.objective == pytest.approx(opt, rel=1e-7)
    assert res.bound <= res.objective + 1e-9
    assert res.open_sites.size == p
    assert not solution_violations(
        problem, res.open_sites, res.assignment, res.allocation
    )


@pytest.mark.parametrize("seed", range(6))
def test_single_source_split_bound_below_brute_force(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    problem = _random(rng, 5, 4, 2, single_source=True)
    opt = brute_force(problem)
    from footprint.locate.heuristic.local_search import solve_heuristic

    start = solve_heuristic(problem, time_limit=5)
    res = cap.solve_single_source(
        problem, start if start.feasible else None, time_limit=20, mip_gap=1e-9
    )
    if not math.isfinite(opt):
        assert not res.feasible
        return
    assert res.feasible and res.open_sites.size == 2
    assert not solution_violations(problem, res.open_sites, res.assignment)
    assert res.objective >= opt - 1e-9
    assert res.bound <= opt + 1e-9
    assert res.status != "infeasible"
    if res.status == "optimal":
        assert res.objective == pytest.approx(opt, rel=1e-9)


# --------------------------------------------------- limits and verdicts
def _hard(single_source: bool) -> LocationProblem:
    rng = np.random.default_rng(7)
    n, m, p = 1000, 300, 30
    gx, gy, sx, sy = (rng.random(k) for k in (n, n, m, m))
    demand = rng.integers(1, 101, n).astype(float)
    cost = (
        np.hypot(gx[:, None] - sx[None, :], gy[:, None] - sy[None, :]) * demand[:, None]
    )
    return LocationProblem(
        cost=cost,
        demand=demand,
        capacity=np.full(m, 1.2 * demand.sum() / p),
        n_sites=p,
        single_source=single_source,
    )


@pytest.mark.slow
@pytest.mark.parametrize("single_source", [False, True])
def test_time_limit_kept_on_an_unfinishable_instance(single_source: bool) -> None:
    problem = _hard(single_source)
    solve(
        LocationProblem(
            cost=problem.cost[:50, :20],
            demand=problem.demand[:50],
            capacity=problem.capacity[:20],
            n_sites=3,
            single_source=single_source,
        ),
        time_limit=5,
    )  # compile / load kernels
    limit = 3.0
    t = time.perf_counter()
    res = solve(problem, "auto", time_limit=limit, mip_gap=0.0)
    took = time.perf_counter() - t
    assert took <= 1.1 * limit + 1.0
    assert res.feasible and res.status in ("time_limit", "feasible")
    assert res.open_sites.size == 30
    assert not solution_violations(
        problem, res.open_sites, res.assignment, res.allocation
    )
    assert math.isfinite(res.bound) and res.bound <= res.objective
    assert "time limit" in res.verdict() or "within" in res.verdict()


def test_no_false_infeasible_and_a_proven_one() -> None:
    # capacities exactly enough with the two largest sites: feasible, and tight
    cost = np.array(
        [[1.0, 4.0, 9.0], [4.0, 1.0, 9.0], [9.0, 9.0, 1.0], [2.0, 3.0, 8.0]]
    )
    demand = np.array([2.0, 2.0, 1.0, 1.0])
    tight = LocationProblem(
        cost=cost, demand=demand, capacity=np.array([3.0, 3.0, 1.0]), n_sites=2
    )
    red = aggregate_rows(tight)
    res = cap.solve_split(tight, red, None, time_limit=120, mip_gap=0.0)
    # only {0, 1} covers the demand (6 of 6): groups 0, 3 at 0 (cost 1 + 2); 1 at 1 (1);
    # group 2 at 0 or 1 (9)
    assert res.status == "optimal" and list(res.open_sites) == [0, 1]
    assert res.objective == pytest.approx(13.0)
    # a zero time limit stops the tree before it proves anything: never "infeasible"
    res = cap.solve_split(tight, red, None, time_limit=0.0, mip_gap=0.0)
    assert res.status != "infeasible"
    # one site cannot hold the demand 6: proven infeasible
    one = LocationProblem(
        cost=cost, demand=demand, capacity=np.array([3.0, 3.0, 1.0]), n_sites=1
    )
    res = cap.solve_split(one, aggregate_rows(one), None, time_limit=120)
    assert res.status == "infeasible" and not res.feasible


@pytest.mark.parametrize("seed", range(8))
def test_transport_column_generation_matches_the_full_lp(seed: int) -> None:
    from footprint.locate.heuristic.capacitated_assignment import assign_capacitated

    rng = np.random.default_rng(400 + seed)
    n, m, k = 120, 30, 14  # more open sites than the 8 nearest the LP starts from
    pts, sites = rng.random((n, 2)), rng.random((m, 2))
    demand = rng.integers(1, 10, n).astype(float)
    cost = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    # tight (1.02) capacities force long chains of displaced groups
    slack = 1.02 if seed % 2 else 1.5
    problem = LocationProblem(
        cost=cost * demand[:, None],
        demand=demand,
        capacity=np.full(m, slack * demand.sum() / k),
        n_sites=k,
        unassigned_cost=(np.full(n, 50.0) if seed == 3 else None),
    )
    open_sites = rng.choice(m, k, replace=False)
    value, x = cap.transport(problem, aggregate_rows(problem), open_sites)
    ref = assign_capacitated(problem, open_sites)
    assert ref is not None and x is not None
    assert value == pytest.approx(ref[2], rel=1e-7)


@pytest.mark.parametrize("seed", range(4))
def test_strong_reduced_keeps_the_count(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    problem = _random(rng, 10, 6, 3)
    res = solve_exact(
        problem, formulation="strong-reduced", time_limit=60, mip_gap=1e-9
    )
    assert res.open_sites.size == 3
    assert res.objective == pytest.approx(brute_force(problem), rel=1e-7)
