"""Heuristic solver: feasibility, quality against brute force, limits."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import evaluate, solution_violations
from footprint.locate.feasibility import check_feasibility
from footprint.locate.heuristic.local_search import solve_heuristic
from footprint.locate.instances.brute_force import brute_force


def _problem(seed: int, *, n: int = 8, m: int = 5, capacitated: bool = False,
             single_source: bool = False, p: bool = False) -> LocationProblem:
    rng = np.random.default_rng(seed)
    forced = np.zeros(m, dtype=bool)
    if rng.random() < 0.5:
        forced[rng.integers(m)] = True
    return LocationProblem(
        cost=rng.integers(1, 30, (n, m)).astype(float),
        demand=rng.integers(1, 4, n).astype(float),
        capacity=rng.integers(3, 9, m).astype(float) if capacitated else None,
        single_source=single_source,
        n_sites=int(rng.integers(max(1, int(forced.sum())), m + 1)) if p else None,
        fixed_cost=None if p else rng.integers(0, 15, m).astype(float),
        forced_open=forced,
        allowed=rng.random((n, m)) < 0.8,
        unassigned_cost=rng.integers(10, 60, n).astype(float) if rng.random() < 0.5 else None,
    )


def _check(problem: LocationProblem, res) -> None:
    assert res.status == "feasible"
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert np.all(np.isin(np.flatnonzero(problem.forced_or_none()), res.open_sites))
    assert res.objective == pytest.approx(
        evaluate(problem, res.open_sites, res.assignment, res.allocation), rel=1e-12)
    assert np.isnan(res.bound) and np.isnan(res.gap)


def _heuristic_against_brute_force(problem):
    """Brute-force optimum and the heuristic's checked result (None when both say infeasible)."""
    if check_feasibility(problem):
        pytest.skip("infeasible draw")
    best = brute_force(problem)
    res = solve(problem, "heuristic", time_limit=5)
    if not np.isfinite(best):
        assert res.status == "infeasible"
        return best, None
    _check(problem, res)
    return best, res


@pytest.mark.parametrize("seed", range(15))
def test_uncapacitated_finds_brute_force_optimum(seed: int) -> None:
    problem = _problem(seed, p=seed % 2 == 0)
    best, res = _heuristic_against_brute_force(problem)
    if res is None:
        return
    # tiny instances: the multi-start search should reach the optimum
    assert res.objective == pytest.approx(best, rel=1e-9)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("single", [False, True])
def test_capacitated_is_feasible_and_not_below_optimum(seed: int, single: bool) -> None:
    problem = _problem(50 + seed, n=5 if single else 7, m=3 if single else 5,
                       capacitated=True, single_source=single, p=seed % 2 == 0)
    best, res = _heuristic_against_brute_force(problem)
    if res is None:
        return
    assert res.objective >= best * (1 - 1e-9) - 1e-9


def test_pmedian_on_random_points_close_to_exact() -> None:
    rng = np.random.default_rng(3)
    pts = rng.random((150, 2))
    d = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    problem = LocationProblem.from_pmedian(d, 8)
    h = solve(problem, "heuristic", time_limit=10)
    e = solve(problem, "exact", time_limit=60, mip_gap=0.0)
    assert e.proven_optimal
    assert e.objective <= h.objective * (1 + 1e-9)
    assert h.objective <= e.objective * 1.01


def test_warm_start_is_used() -> None:
    problem = _problem(7, n=30, m=8, p=True)
    res = solve_heuristic(problem, warm_start=np.arange(problem.n_sites), max_iter=0)
    _check(problem, res)


def test_time_limit_and_cancel() -> None:
    rng = np.random.default_rng(0)
    pts = rng.random((800, 2))
    d = np.sqrt(((pts[:, None] - pts[None, :400]) ** 2).sum(-1))
    problem = LocationProblem.from_pmedian(d, 40)
    t0 = time.perf_counter()
    res = solve(problem, "heuristic", time_limit=1.0)
    assert time.perf_counter() - t0 < 1.5
    assert res.status == "feasible"
    seen: list[float] = []

    def stop(frac: float, msg: str) -> bool:
        seen.append(frac)
        return True

    res = solve(problem, "heuristic", time_limit=30, progress=stop)
    assert res.status == "cancelled" and len(seen) >= 1
    assert res.seconds < 2.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 100_000), capacitated=st.booleans(), single=st.booleans(),
       p=st.booleans())
def test_properties_against_exact(seed: int, capacitated: bool, single: bool, p: bool) -> None:
    problem = _problem(seed, n=6, m=4, capacitated=capacitated,
                       single_source=single and capacitated, p=p)
    if check_feasibility(problem):
        return
    exact = solve(problem, "exact", time_limit=10, mip_gap=0.0)
    heur = solve(problem, "heuristic", time_limit=5)
    if exact.status == "infeasible":
        return
    assert exact.proven_optimal
    if heur.status == "infeasible":  # allowed only for single-source edge cases
        assert capacitated and single
        return
    _check(problem, heur)
    assert heur.objective >= exact.objective * (1 - 1e-9) - 1e-9
