"""Quiet HiGHS, single-source construction, time limits (solver layer)."""

from __future__ import annotations

import math
import os
import time

import numpy as np
import pytest

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import solution_violations
from footprint.locate.heuristic.local_search import solve_heuristic
from footprint.locate.heuristic.single_source import gap_assign
from footprint.locate.silence_native_output import quiet_fds


def _single_source(seed: int, n: int = 60, m: int = 15, p: int = 5) -> LocationProblem:
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 2))
    sites = rng.random((m, 2))
    d = rng.integers(1, 10, n).astype(float)
    dist = np.sqrt(((pts[:, None] - sites[None]) ** 2).sum(-1))
    cap = np.full(m, 1.25 * d.sum() / p)
    return LocationProblem(cost=d[:, None] * dist, demand=d, capacity=cap,
                           single_source=True, n_sites=p)


def test_quiet_fds_restores_stdout_even_on_error(capfd) -> None:
    with pytest.raises(RuntimeError), quiet_fds():
        os.write(1, b"hidden\n")
        raise RuntimeError("boom")
    os.write(1, b"shown\n")
    out, _ = capfd.readouterr()
    assert out == "shown\n"


def test_highs_mip_writes_nothing_to_stdout(capfd) -> None:
    problem = _single_source(3, n=80, m=20, p=6)
    res = solve(problem, "exact", time_limit=10)
    assert res.feasible
    res = solve(problem, "auto", time_limit=5)
    assert res.feasible
    out, _ = capfd.readouterr()
    assert out == ""


@pytest.mark.parametrize("seed", range(6))
def test_gap_assign_is_feasible(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = 40, 6
    d = rng.integers(1, 10, n).astype(float)
    cap = np.full(k, d.sum() / k * 1.1)
    c = rng.random((n, k)) * d[:, None]
    out = gap_assign(c, d, cap)
    assert out is not None
    a, val = out
    load = np.bincount(a, weights=d, minlength=k)
    assert np.all(load <= cap + 1e-9)
    assert val == pytest.approx(c[np.arange(n), a].sum())


def test_single_source_heuristic_fast_and_feasible() -> None:
    problem = _single_source(0, n=300, m=300, p=30)
    t0 = time.perf_counter()
    res = solve(problem, "heuristic", time_limit=5)
    took = time.perf_counter() - t0
    assert res.status == "feasible"
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert took < 3.0


@pytest.mark.parametrize("seed", range(4))
def test_single_source_heuristic_close_to_exact(seed: int) -> None:
    problem = _single_source(seed, n=40, m=12, p=4)
    ref = solve(problem, "exact", time_limit=20, mip_gap=0.0)
    assert ref.proven_optimal
    res = solve_heuristic(problem, time_limit=5)
    assert res.status == "feasible"
    assert res.objective >= ref.objective - 1e-6 * abs(ref.objective)
    assert res.objective <= ref.objective * 1.05


def test_heuristic_timeout_is_not_infeasible() -> None:
    problem = _single_source(1, n=300, m=300, p=30)
    res = solve_heuristic(problem, time_limit=0.0)
    # nothing may be found in no time; that is a time limit, not infeasibility
    assert res.status in ("time_limit", "feasible")
    if res.status == "time_limit":
        assert res.open_sites.size == 0 and "time limit" in res.message


def test_time_limit_capacitated_overall() -> None:
    rng = np.random.default_rng(0)
    pts = rng.random((400, 2))
    sites = rng.random((100, 2))
    d = rng.integers(1, 20, 400).astype(float)
    cost = d[:, None] * np.sqrt(((pts[:, None] - sites[None]) ** 2).sum(-1))
    cap = rng.integers(200, 400, 100).astype(float)
    fixed = rng.integers(50, 150, 100).astype(float)
    problem = LocationProblem(cost=cost, demand=d, capacity=cap, fixed_cost=fixed,
                              single_source=True)
    for method in ("exact", "auto"):
        t0 = time.perf_counter()
        res = solve(problem, method, time_limit=2.0, mip_gap=0.0)
        took = time.perf_counter() - t0
        assert res.seconds <= 2.2 and took <= 2.2, (method, res.seconds, took)
        assert res.status in ("time_limit", "optimal", "feasible")
        if math.isfinite(res.objective):
            assert not solution_violations(problem, res.open_sites, res.assignment,
                                           res.allocation)


@pytest.mark.parametrize("seed", range(3))
def test_reduced_cost_fixing_keeps_the_optimum(seed: int) -> None:
    from footprint.locate.exact.highs_models import solve_exact

    problem = _single_source(10 + seed, n=50, m=14, p=4)
    plain = solve_exact(problem, time_limit=30, mip_gap=0.0)  # no incumbent: no fixing
    fixed = solve(problem, "exact", time_limit=30, mip_gap=0.0)
    assert plain.proven_optimal and fixed.proven_optimal
    assert fixed.objective == pytest.approx(plain.objective, rel=1e-9)
    assert "reduced-cost fixing" in fixed.message
    assert fixed.bound <= fixed.objective + 1e-6
