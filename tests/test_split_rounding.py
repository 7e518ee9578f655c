"""The pieces that make the demo's by-group plan near-optimal in seconds: the
site knapsack's quickselect, the merged rows' projection and rounding a split
plan to a single-source one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint.locate import LocationProblem
from footprint.locate.evaluate import evaluate, solution_violations
from footprint.locate.exact import lagrangian_capacitated as cap
from footprint.locate.exact.reductions import aggregate_rows
from footprint.locate.heuristic.single_source import round_split


def _knapsack_by_sorting(cost_row: np.ndarray, lam: np.ndarray, d: np.ndarray,
                         capacity: float) -> tuple[float, np.ndarray]:
    """Textbook continuous knapsack: take the negative reduced costs best ratio first."""
    w = cost_row - lam
    x = np.zeros(w.size)
    free = (w < 0) & (d <= 0)
    x[free] = 1.0
    left = capacity
    cand = np.flatnonzero((w < 0) & (d > 0))
    for i in cand[np.argsort(w[cand] / d[cand], kind="stable")]:
        x[i] = min(1.0, left / d[i])
        left -= x[i] * d[i]
        if left <= 0:
            break
    return float((w * x).sum()), x


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 80), st.integers(0, 2**31 - 1), st.booleans())
def test_site_knapsack_matches_sorting(r: int, seed: int, ties: bool) -> None:
    rng = np.random.default_rng(seed)
    c = rng.normal(0.0, 1.0, (1, r))
    if ties:  # many equal ratios: the three-way partition's equal band
        c = np.round(c, 1)
    d = rng.integers(0, 4, r).astype(float)
    lam = rng.normal(0.0, 1.0, r)
    capacity = float(rng.uniform(0.0, d.sum() + 1.0))
    want, x = _knapsack_by_sorting(c[0], lam, d, capacity)
    buf = (np.empty(r), np.empty(r, dtype=np.int64), np.empty(r))
    g = np.zeros(r)
    got = cap._site_knapsack(c, d, lam, np.array([capacity]), 0, *buf, g)
    assert got == pytest.approx(want, abs=1e-9)
    # the subgradient books -x: same value, capacity respected
    assert float((-g * (c[0] - lam)).sum()) == pytest.approx(want, abs=1e-9)
    assert float((-g * d).sum()) <= capacity + 1e-9
    assert np.all((-g >= -1e-12) & (-g <= 1 + 1e-12))


def test_site_knapsack_by_hand() -> None:
    # reduced costs -4, -3, -2, +1; demands 2, 1, 2, 1; capacity 4:
    # ratios -2, -3, -1 -> take item 1 (1), item 0 (2), half of item 2 (1 of 2)
    c = np.array([[1.0, 2.0, 3.0, 6.0]])
    lam = np.full(4, 5.0)
    d = np.array([2.0, 1.0, 2.0, 1.0])
    buf = (np.empty(4), np.empty(4, dtype=np.int64), np.empty(4))
    g = np.zeros(4)
    val = cap._site_knapsack(c, d, lam, np.array([4.0]), 0, *buf, g)
    assert val == pytest.approx(-3 - 4 - 1)
    assert np.allclose(-g, [1.0, 1.0, 0.5, 0.0])


def test_aggregate_rows_merges_equal_keys_only() -> None:
    rng = np.random.default_rng(3)
    base = rng.uniform(1, 10, (40, 6))
    d = rng.uniform(1, 3, 40)
    # rows 40-49 are rows 0-9 with twice the demand and cost (same cost per unit);
    # rows 50-52 repeat rows 5-7; row 53 differs from row 0 in one entry only
    near = base[:1].copy()
    near[0, 3] += 1e-9
    cost = np.vstack([base, 2.0 * base[:10], base[5:8], near])
    dem = np.concatenate([d, 2.0 * d[:10], d[5:8], d[:1]])
    problem = LocationProblem(cost=cost, demand=dem, capacity=np.full(6, 1e3))
    red = aggregate_rows(problem)
    assert red.cost.shape == (41, 6)
    assert red.members[40] == red.members[0] and red.members[50] == red.members[5]
    assert red.members[53] != red.members[0]
    assert red.demand.sum() == pytest.approx(dem.sum())
    for i in range(cost.shape[0]):  # every row keeps its cost per unit of demand
        k = red.members[i]
        assert np.allclose(red.cost[k] / red.demand[k], cost[i] / dem[i])
    # uncapacitated: identical rows only (the doubled rows are different rows)
    assert aggregate_rows(LocationProblem(cost=cost, n_sites=2)).cost.shape == (51, 6)
    # forbidden pairs are part of the key
    allowed = np.ones(cost.shape, dtype=bool)
    allowed[50, 0] = False
    red = aggregate_rows(LocationProblem(cost=cost, demand=dem, capacity=np.full(6, 1e3),
                                         allowed=allowed))
    assert red.members[50] != red.members[5]


def test_round_split_by_hand() -> None:
    # three groups, two sites of capacity 2; group 2 is split half and half
    c = np.array([[1.0, 5.0], [5.0, 1.0], [2.0, 3.0]])
    d = np.array([1.0, 1.0, 1.0])
    capacity = np.array([2.0, 2.0])
    rows, cols = np.array([0, 1, 2, 2]), np.array([0, 1, 0, 1])
    x = np.array([1.0, 1.0, 0.5, 0.5])
    a, value = round_split(c, d, capacity, rows, cols, x)
    assert a.tolist() == [0, 1, 0]  # the split group goes where it is cheaper
    assert value == pytest.approx(1 + 1 + 2)


def test_round_split_returns_none_when_the_split_group_does_not_fit() -> None:
    c = np.array([[1.0, 5.0], [5.0, 1.0], [2.0, 3.0]])
    d = np.array([1.0, 1.0, 2.0])
    capacity = np.array([2.0, 2.0])
    rows, cols = np.array([0, 1, 2, 2]), np.array([0, 1, 0, 1])
    assert round_split(c, d, capacity, rows, cols, np.array([1.0, 1.0, 0.5, 0.5])) is None


@pytest.mark.parametrize("seed", range(4))
def test_rounded_transport_plan_is_within_a_hair_of_the_lp(seed: int) -> None:
    """Many small groups: the rounded LP plan is feasible and within 0.5 % of the LP."""
    rng = np.random.default_rng(seed)
    n, m, p = 600, 12, 5
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    d = rng.integers(1, 4, n).astype(float)
    cost = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) * d[:, None]
    capacity = np.full(m, 1.25 * d.sum() / p)
    problem = LocationProblem(cost=cost, demand=d, n_sites=p, capacity=capacity,
                              single_source=True)
    split = replace(problem, single_source=False)
    red = aggregate_rows(split)
    open_sites = np.sort(rng.choice(m, p, replace=False))
    if capacity[open_sites].sum() < d.sum():
        pytest.skip("closed too much capacity")
    lp_value, x = cap.transport(split, red, open_sites)
    full = x[red.members].tocoo()
    column = np.full(m, -1)
    column[open_sites] = np.arange(p)
    a, value = round_split(cost[:, open_sites], d, capacity[open_sites], full.row,
                           column[full.col], full.data)
    assignment = open_sites[a]
    assert not solution_violations(problem, open_sites, assignment)
    assert evaluate(problem, open_sites, assignment) == pytest.approx(value)
    assert lp_value - 1e-6 * lp_value <= value <= 1.005 * lp_value


@pytest.mark.parametrize("seed", [11, 12])
def test_single_source_tree_plan_is_rounded(seed: int) -> None:
    """Without a single-source start, the split tree's plan is rounded: the result is
    single source, feasible and proven within 0.1 % (the gap asked for)."""
    rng = np.random.default_rng(seed)
    n, m, p = 1500, 40, 8
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    d = rng.integers(1, 4, n).astype(float)
    cost = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) * d[:, None]
    problem = LocationProblem(cost=cost, demand=d, n_sites=p, capacity=np.full(m, 1.2 * d.sum() / p),
                              single_source=True)
    res = cap.solve_single_source(problem, None, time_limit=120, mip_gap=0.001)
    assert "rounded-split-plan" in res.method
    assert not solution_violations(problem, res.open_sites, res.assignment)
    assert res.allocation is None
    assert evaluate(problem, res.open_sites, res.assignment) == pytest.approx(res.objective)
    assert res.status == "optimal" and 0.0 <= res.gap <= 0.001
