"""Lagrangian branch and bound: exactness, bounds, fixing, limits."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.locate import LocationProblem
from footprint.locate.exact.highs_models import solve_exact, strong_model
from footprint.locate.exact.highs_runner import run_lp
from footprint.locate.exact.lagrangian_uncapacitated import (
    CLOSED,
    FREE,
    OPEN,
    _penalty_fixing,
    lagrangian_bound,
    lagrangian_branch_and_bound,
)
from footprint.locate.exact.reductions import aggregate_rows
from footprint.locate.feasibility import check_feasibility
from footprint.locate.instances.brute_force import brute_force
from footprint.locate.instances.or_library import read_pmed

ORLIB = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib"
needs_orlib = pytest.mark.skipif(not ORLIB.is_dir(), reason="OR-Library data not found")


def test_penalty_tests_by_hand() -> None:
    # p = 2 of 4 sites; values f_j + rho_j; sites 0 and 1 chosen; bound 10.
    v = np.array([-5.0, -4.0, -1.0, 2.0])
    sel = np.array([True, True, False, False])
    state = np.full(4, FREE, dtype=np.int8)
    # opening 2 instead of 1 lifts by -1 - (-4) = 3 -> 13; opening 3 by 6 -> 16;
    # closing 0 lifts by -1 - (-5) = 4 -> 14; closing 1 by 3 -> 13.
    new = _penalty_fixing(v, sel, state, 2, 10.0, 13.5)
    assert new.tolist() == [OPEN, FREE, FREE, CLOSED]
    new = _penalty_fixing(v, sel, state, 2, 10.0, 13.0)
    assert new.tolist() == [OPEN, OPEN, CLOSED, CLOSED]
    # free p: open if 10 + v_j >= level, close chosen if 10 - v_j >= level
    new = _penalty_fixing(v, sel, state, -1, 10.0, 14.5)
    assert new.tolist() == [OPEN, FREE, FREE, FREE]


def test_two_sites_by_hand() -> None:
    # 4 customers on a line at 0, 1, 10, 11; sites at the same points; p = 2.
    x = np.array([0.0, 1.0, 10.0, 11.0])
    cost = np.abs(x[:, None] - x[None, :])
    out = lagrangian_branch_and_bound(cost, np.full(4, np.inf), np.zeros(4), 2,
                                      np.zeros(4, dtype=bool), np.array([0, 1]),
                                      mip_gap=0.0)
    assert out.objective == 2.0  # one site in each pair
    assert out.bound == 2.0 and out.status == "optimal"
    assert {int(out.open_sites[0]) // 2, int(out.open_sites[1]) // 2} == {0, 1}


def _random(seed: int, p: bool, integral: bool) -> LocationProblem:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 9)), int(rng.integers(2, 7))
    cost = rng.random((n, m)) * 30
    if integral:
        cost = np.round(cost)
    forced = np.zeros(m, dtype=bool)
    if rng.random() < 0.4:
        forced[rng.integers(m)] = True
    return LocationProblem(
        cost=cost,
        n_sites=int(rng.integers(max(1, int(forced.sum())), m + 1)) if p else None,
        fixed_cost=None if p else rng.random(m) * 20,
        forced_open=forced,
        allowed=rng.random((n, m)) < 0.8,
        unassigned_cost=rng.random(n) * 60 if rng.random() < 0.5 else None,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 100_000), p=st.booleans(), integral=st.booleans())
def test_matches_brute_force(seed: int, p: bool, integral: bool) -> None:
    problem = _random(seed, p, integral)
    if check_feasibility(problem):
        return
    best = brute_force(problem)
    res = solve_exact(problem, formulation="lagrangian", mip_gap=0.0, time_limit=20)
    if math.isinf(best):
        assert not math.isfinite(res.objective)
        return
    assert res.method.startswith("exact:lagrangian") or res.method.startswith("exact:highs")
    assert res.status == "optimal"
    assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert res.bound <= res.objective + 1e-9
    assert res.bound >= best - 1e-6 * max(1.0, abs(best))


@needs_orlib
def test_bound_is_the_lp_bound() -> None:
    problem = read_pmed(ORLIB / "pmed" / "pmed6.txt")  # LP gap about 0.5 %
    red = aggregate_rows(problem)
    model = strong_model(problem, red)
    lp = run_lp(model["c"], model["lower"], model["upper"], model["a"],
                model["row_lower"], model["row_upper"], time_limit=120)
    assert lp is not None
    lp_value = lp[0] + model["offset"]
    n, m = problem.cost.shape
    bound, lam = lagrangian_bound(problem.cost, np.full(n, np.inf), np.zeros(m), 5,
                                  np.zeros(m, dtype=bool), 7824.0)
    assert lam.shape == (n,)
    assert bound <= lp_value + 1e-6  # never above the LP optimum
    assert bound >= lp_value * (1 - 2e-4)  # and close to it
    assert lp_value < 7824.0  # so branching is needed: the published optimum


@needs_orlib
@pytest.mark.parametrize(("name", "opt"), [("pmed16", 8162.0), ("pmed35", 10400.0)])
def test_few_sites_pmedian_proven(name: str, opt: float) -> None:
    # pmed35 (n = 800, p = 5) did not finish its root LP in 300 s in HiGHS
    res = solve_exact(read_pmed(ORLIB / "pmed" / f"{name}.txt"), mip_gap=1e-6,
                      time_limit=120)
    assert res.method == "exact:lagrangian-bb"
    assert res.status == "optimal"
    assert res.objective == opt and res.bound == opt


@needs_orlib
def test_time_limit_returns_valid_bound() -> None:
    problem = read_pmed(ORLIB / "pmed" / "pmed36.txt")  # about 600 nodes
    res = solve_exact(problem, formulation="lagrangian", mip_gap=0.0, time_limit=0.5)
    assert res.status == "time_limit"
    assert res.bound <= 9934.0 <= res.objective
    assert 0.0 < res.gap < 0.05


@needs_orlib
def test_cancel_from_progress() -> None:
    calls: list[float] = []

    def progress(frac: float, msg: str) -> bool:
        calls.append(frac)
        assert msg == "Lagrangian bound at the root"  # the first report, cancelled
        return True

    res = solve_exact(read_pmed(ORLIB / "pmed" / "pmed36.txt"), formulation="lagrangian",
                      mip_gap=0.0, time_limit=60, progress=progress)
    assert res.status == "cancelled"
    assert len(calls) == 1 and 0.0 <= calls[0] <= 1.0
    assert res.bound <= 9934.0 <= res.objective
