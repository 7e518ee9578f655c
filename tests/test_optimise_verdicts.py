"""Exact path verdicts: "infeasible" only when proven, never worse than the start.

HiGHS is made to stop early, without a proof, by its own node / solution
limits (as memory limits, interrupts or numerical trouble would).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from footprint.locate import LocationProblem, solve
from footprint.locate.evaluate import solution_violations
from footprint.locate.exact.highs_models import solve_exact, strong_model
from footprint.locate.exact.highs_runner import run_mip
from footprint.locate.exact.reductions import aggregate_rows
from footprint.locate.feasibility import check_feasibility
from footprint.locate.heuristic.local_search import solve_heuristic

#: HiGHS options that stop branch and bound early: before any node (usually
#: without a solution of its own), or at the first improving solution.
NO_NODES = {"mip_max_nodes": 0}
FIRST_SOLUTION = {"mip_max_improving_sols": 1, "presolve": "off"}


def capacitated_problem(seed: int, *, n: int = 30, m: int = 10, single: bool = False
                        ) -> LocationProblem:
    """Random feasible capacitated instance (capacity about 1.9 x demand)."""
    rng = np.random.default_rng(seed)
    demand = rng.integers(1, 4, n).astype(float)
    capacity = rng.integers(4, 12, m).astype(float) * demand.sum() / m / 4
    return LocationProblem(
        cost=rng.integers(1, 30, (n, m)).astype(float), demand=demand, capacity=capacity,
        single_source=single, fixed_cost=rng.integers(20, 60, m).astype(float),
    )


def _assert_feasible_plan(problem: LocationProblem, res) -> None:
    assert res.status != "infeasible"
    assert math.isfinite(res.objective)
    assert not solution_violations(problem, res.open_sites, res.assignment, res.allocation)


def test_run_mip_stop_is_not_infeasible() -> None:
    problem = capacitated_problem(0)
    model = strong_model(problem, aggregate_rows(problem))
    out = run_mip(model["c"], model["lower"], model["upper"], model["integer"], model["a"],
                  model["row_lower"], model["row_upper"], time_limit=5, highs_options=NO_NODES)
    assert out.status == "stopped"
    assert "limit" in out.message and "before proving optimality" in out.message
    assert out.x is None or np.all(np.isfinite(out.x))


@pytest.mark.parametrize("single", [False, True])
@pytest.mark.parametrize("options", [NO_NODES, FIRST_SOLUTION], ids=["no-nodes", "first-solution"])
@pytest.mark.parametrize("seed", [0, 1])
def test_early_stop_keeps_the_incumbent(seed: int, options: dict, single: bool) -> None:
    problem = capacitated_problem(seed, single=single)
    assert not check_feasibility(problem)
    incumbent = solve_heuristic(problem, time_limit=1.0, max_iter=0)
    assert incumbent.feasible
    res = solve_exact(problem, formulation="strong", time_limit=5, incumbent=incumbent,
                      highs_options=options)
    _assert_feasible_plan(problem, res)
    assert res.status in ("feasible", "optimal")
    assert res.objective <= incumbent.objective + 1e-9 * abs(incumbent.objective)
    if res.status != "optimal":
        assert "before proving optimality" in res.message
    assert math.isnan(res.bound) or res.bound <= res.objective + 1e-9


def test_stop_without_any_plan_is_not_infeasible() -> None:
    problem = capacitated_problem(0)
    res = solve_exact(problem, formulation="strong", time_limit=5,
                      highs_options={**NO_NODES, "presolve": "off"})
    assert res.status != "infeasible"
    assert not math.isfinite(res.objective) or not solution_violations(
        problem, res.open_sites, res.assignment, res.allocation)
    assert "does not prove" in res.message or math.isfinite(res.objective)


def test_worse_highs_plan_is_not_returned() -> None:
    # uncapacitated "strong" gets no warm start: stopped at its first solution,
    # HiGHS's plan is worse than the optimum passed as incumbent
    rng = np.random.default_rng(3)
    problem = LocationProblem(cost=rng.integers(1, 100, (60, 25)).astype(float),
                              fixed_cost=rng.integers(50, 200, 25).astype(float))
    best = solve(problem, "exact", time_limit=10)
    assert best.status == "optimal"
    alone = solve_exact(problem, formulation="strong", time_limit=5, highs_options=FIRST_SOLUTION)
    assert alone.status != "infeasible"
    res = solve_exact(problem, formulation="strong", time_limit=5, incumbent=best,
                      highs_options=FIRST_SOLUTION)
    _assert_feasible_plan(problem, res)
    assert res.objective <= best.objective + 1e-9 * abs(best.objective)
    if alone.objective > best.objective:
        assert res.message.endswith("returning the start plan")


@pytest.mark.parametrize("options", [None, NO_NODES])
@pytest.mark.parametrize("single", [False, True])
def test_proven_infeasible_is_infeasible(single: bool, options: dict | None) -> None:
    # more demand than all capacity together, no unassigned option
    rng = np.random.default_rng(5)
    problem = LocationProblem(cost=rng.integers(1, 30, (8, 4)).astype(float),
                              demand=np.full(8, 3.0), capacity=np.full(4, 5.0),
                              single_source=single, fixed_cost=np.full(4, 10.0))
    assert check_feasibility(problem)  # solve() would refuse it up front
    res = solve_exact(problem, formulation="strong", time_limit=5, highs_options=options)
    assert res.status == "infeasible"
    assert not res.feasible
