"""Exact solver: brute-force agreement, formulations, feasibility, limits."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import evaluate, solution_violations
from footprint.locate.exact.highs_models import solve_exact
from footprint.locate.feasibility import InfeasibleProblem, check_feasibility
from footprint.locate.instances.brute_force import brute_force


def random_problem(rng: np.random.Generator, *, n: int, m: int, capacitated: bool = False,
                   single_source: bool = False, p: bool = False, extras: bool = True
                   ) -> LocationProblem:
    """Random small instance with fixed costs, forbidden pairs, options."""
    cost = rng.integers(1, 30, (n, m)).astype(float)
    allowed = rng.random((n, m)) < 0.8 if extras else None
    forced = np.zeros(m, dtype=bool)
    if extras and rng.random() < 0.5:
        forced[rng.integers(m)] = True
    unassigned = rng.integers(10, 60, n).astype(float) if extras and rng.random() < 0.5 else None
    demand = rng.integers(1, 4, n).astype(float)
    capacity = rng.integers(2, 8, m).astype(float) if capacitated else None
    return LocationProblem(
        cost=cost, demand=demand, capacity=capacity, single_source=single_source,
        n_sites=int(rng.integers(max(1, int(forced.sum())), m + 1)) if p else None,
        fixed_cost=None if p else rng.integers(0, 15, m).astype(float),
        forced_open=forced, allowed=allowed, unassigned_cost=unassigned,
    )


def _agree(problem: LocationProblem) -> None:
    if check_feasibility(problem):
        with pytest.raises(InfeasibleProblem):
            solve(problem, "exact", time_limit=5)
        return
    best = brute_force(problem)
    res = solve(problem, "exact", time_limit=10, mip_gap=0.0)
    if math.isinf(best):
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert res.objective == pytest.approx(
        evaluate(problem, res.open_sites, res.assignment, res.allocation), rel=1e-12
    )
    assert res.bound <= res.objective + 1e-9


@pytest.mark.parametrize("seed", range(12))
def test_uncapacitated_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    _agree(random_problem(rng, n=7, m=6, p=seed % 2 == 0))


@pytest.mark.parametrize("seed", range(8))
def test_capacitated_split_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    _agree(random_problem(rng, n=6, m=5, capacitated=True, p=seed % 3 == 0))


@pytest.mark.parametrize("seed", range(8))
def test_single_source_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    _agree(random_problem(rng, n=5, m=3, capacitated=True, single_source=True,
                          p=seed % 2 == 0))


@pytest.mark.parametrize("seed", range(6))
def test_radius_equals_strong(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    n, m = 40, 15
    problem = random_problem(rng, n=n, m=m, p=seed % 2 == 0)
    if check_feasibility(problem):
        pytest.skip("infeasible draw")
    a = solve_exact(problem, formulation="radius", mip_gap=0.0)
    b = solve_exact(problem, formulation="strong", mip_gap=0.0)
    assert a.method == "exact:highs-radius" and b.method == "exact:highs-strong"
    assert a.objective == pytest.approx(b.objective, rel=1e-9)


def test_identical_rows_are_aggregated_exactly() -> None:
    rng = np.random.default_rng(5)
    base = rng.integers(1, 50, (10, 8)).astype(float)
    cost = np.vstack([base, base[:4], base[:4]])
    problem = LocationProblem(cost=cost, n_sites=3)
    assert solve_exact(problem, mip_gap=0.0).objective == pytest.approx(brute_force(problem))


def test_pmedian_factory_weights() -> None:
    d = np.array([[0.0, 2.0], [3.0, 0.0], [1.0, 1.0]])
    problem = LocationProblem.from_pmedian(d, 1, weights=np.array([1.0, 5.0, 1.0]))
    res = solve(problem, "exact")
    assert res.open_sites.tolist() == [1]
    assert res.objective == pytest.approx(3.0)


# ------------------------------------------------------------ feasibility
def test_feasibility_messages() -> None:
    cost = np.ones((4, 3))
    msgs = check_feasibility(LocationProblem(
        cost=cost, demand=np.full(4, 10.0), capacity=np.array([5.0, 8.0, 9.0]), n_sites=2,
    ))
    assert msgs == ["the 2 largest capacities hold 17 but demand is 40"]
    msgs = check_feasibility(LocationProblem(
        cost=cost, n_sites=2, forced_open=np.array([True, True, True])))
    assert msgs == ["3 sites are forced open but only 2 may open"]
    allowed = np.ones((4, 3), dtype=bool)
    allowed[2] = False
    msgs = check_feasibility(LocationProblem(cost=cost, n_sites=1, allowed=allowed))
    assert msgs == ["group 2 has no allowed site and no unassigned option"]
    # the unassigned option removes the obstacle
    assert not check_feasibility(LocationProblem(
        cost=cost, n_sites=1, allowed=allowed, unassigned_cost=np.ones(4)))
    msgs = check_feasibility(LocationProblem(
        cost=cost, demand=np.array([1.0, 1.0, 1.0, 20.0]), capacity=np.full(3, 10.0),
        single_source=True))
    assert any("group 3 needs 20 from one site" in s for s in msgs)
    with pytest.raises(InfeasibleProblem) as err:
        solve(LocationProblem(cost=cost, n_sites=1, allowed=allowed))
    assert err.value.reasons == ["group 2 has no allowed site and no unassigned option"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cost": np.ones(3)}, "cost"),
        ({"cost": np.ones((2, 2)), "demand": np.ones(3)}, "demand"),
        ({"cost": np.ones((2, 2)), "n_sites": 3}, "n_sites"),
        ({"cost": np.ones((2, 2)), "capacity": -np.ones(2)}, "capacity"),
        ({"cost": np.ones((2, 2)), "allowed": np.ones((2, 3), dtype=bool)}, "allowed"),
        ({"cost": np.array([[1.0, np.inf]])}, "cost"),
        ({"cost": np.ones((2, 2)), "fixed_cost": [1.0, np.nan]}, "fixed_cost"),
        ({"cost": np.ones((2, 2)), "unassigned_cost": np.ones(1)}, "unassigned_cost"),
    ],
)
def test_validation_names_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        LocationProblem(**kwargs)


def test_forbidden_pair_may_be_inf() -> None:
    cost = np.array([[1.0, np.inf], [2.0, 1.0]])
    problem = LocationProblem(cost=cost, n_sites=1, allowed=np.isfinite(cost))
    res = solve(problem, "exact")
    assert res.open_sites.tolist() == [0] and res.objective == pytest.approx(3.0)


# ------------------------------------------------------------ limits
def _hard_problem(seed: int = 0) -> LocationProblem:
    rng = np.random.default_rng(seed)
    pts = rng.random((400, 2))
    d = np.sqrt(((pts[:, None, :] - pts[None, :200, :]) ** 2).sum(-1))
    return LocationProblem(cost=d, n_sites=12)


def test_time_limit_honoured() -> None:
    problem = _hard_problem()
    t0 = time.perf_counter()
    res = solve(problem, "exact", time_limit=4.0, mip_gap=0.0)
    took = time.perf_counter() - t0
    assert took < 4.0 * 1.05 + 0.3
    assert res.status in ("time_limit", "optimal")
    if res.status == "time_limit" and math.isfinite(res.objective):
        assert res.gap >= 0


def test_cancel_from_progress() -> None:
    problem = _hard_problem(1)
    calls: list[float] = []

    def progress(frac: float, msg: str) -> bool:
        calls.append(frac)
        return True  # at the first report (the exact phase is tested in test_optimise_lagrangian)

    t0 = time.perf_counter()
    res = solve(problem, "auto", time_limit=30, mip_gap=0.0, progress=progress)
    assert time.perf_counter() - t0 < 10
    assert res.status == "cancelled"
    assert all(0.0 <= f <= 1.0 for f in calls)


# ------------------------------------------------------------ properties
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), capacitated=st.booleans(), single=st.booleans())
def test_exact_solution_properties(seed: int, capacitated: bool, single: bool) -> None:
    rng = np.random.default_rng(seed)
    problem = random_problem(rng, n=8, m=5, capacitated=capacitated,
                             single_source=single and capacitated, p=bool(seed % 2))
    if check_feasibility(problem):
        return
    res = solve(problem, "exact", time_limit=10)
    if res.status == "infeasible":
        return
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)
    assert np.all(np.isin(np.flatnonzero(problem.forced_or_none()), res.open_sites))
    assert res.objective == pytest.approx(
        evaluate(problem, res.open_sites, res.assignment, res.allocation), rel=1e-12)


@pytest.mark.parametrize("single", [False, True])
def test_assignment_to_sites_nobody_may_use_is_infeasible(single: bool) -> None:
    from footprint.locate.heuristic.capacitated_assignment import assign_capacitated

    allowed = np.ones((4, 3), dtype=bool)
    allowed[:, 2] = False
    problem = LocationProblem(cost=np.ones((4, 3)), demand=np.ones(4), capacity=np.array([2.0, 2.0, 10.0]),
                              allowed=allowed, single_source=single, n_sites=1)
    assert assign_capacitated(problem, np.array([2])) is None
    assignment, _, cost = assign_capacitated(problem, np.array([0, 1]))
    assert cost == 4.0 and np.bincount(assignment, minlength=3).tolist() == [2, 2, 0]
