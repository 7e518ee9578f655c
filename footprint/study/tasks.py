"""The study's tasks: module-level functions a Dask worker (or the serial engine) runs.

Tasks are coarse: :func:`point_costs` builds one cost model shared by every grid point
that optimises under the same policy, :func:`solve_point` plans and accounts one grid
point against its baseline, and :func:`draw_block` computes one block of Monte Carlo
draws of a solved point. Their arguments and results are small (the organisation and
the costs arrive once per worker, as Dask data), and their answers depend on their
arguments only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.accounting import account, current_plan
from footprint.errors import InfeasibleScenario
from footprint.factors import load_factor_set
from footprint.inputs import Organisation, Policy
from footprint.scenario.run import plan_for
from footprint.scenario.schema import Scenario
from footprint.study.draws import DrawInput, draw_input, draw_totals


@dataclass(frozen=True)
class PointJob:
    """Everything a grid point's solve needs besides the organisation and the costs.

    Attributes
    ----------
    index : int
        The point's index in the study.
    scenario : Scenario
        The base scenario with the point's levers applied.
    factor_set : str
        The point's factor set id, or an absolute path.
    baseline_policy : Policy
        The policy of the baseline (today's estate).
    baseline_factor_set : str
    """

    index: int
    scenario: Scenario
    factor_set: str
    baseline_policy: Policy
    baseline_factor_set: str

    @property
    def optimises(self) -> bool:
        return self.scenario.hubs.selection == "optimise"

    @property
    def costs_key(self) -> tuple[Any, ...]:
        """Points with equal keys share one cost model."""
        s = self.scenario
        return (
            s.policy,
            self.factor_set,
            s.hubs.assignment == "offices_whole",
            s.optimiser.commute_weight_kg_per_km,
        )


@dataclass(frozen=True, eq=False)
class PointSolve:
    """A solved grid point: its result row (without draws) and its draw input (None if infeasible)."""

    index: int
    row: dict[str, Any]
    draws: DrawInput | None


def point_costs(org: Organisation, job: PointJob) -> Any:
    """The optimiser's cost model for ``job``'s policy (shared by points with the same ``costs_key``)."""
    from footprint.hubs.costs import hub_costs

    s = job.scenario
    return hub_costs(
        org,
        s.policy,
        load_factor_set(job.factor_set),
        keep_offices_whole=s.hubs.assignment == "offices_whole",
        commute_weight_kg_per_km=s.optimiser.commute_weight_kg_per_km,
    )


def solve_point(
    org: Organisation, costs: Any, job: PointJob, warm_start: np.ndarray | None = None
) -> PointSolve:
    """Plan and account one grid point, and its baseline.

    An infeasible point gives a row with ``feasible = False`` and the reasons in
    ``message`` (the study goes on). ``warm_start``: site indices the optimiser starts
    from.
    """
    t0 = time.perf_counter()
    s = job.scenario
    fs = load_factor_set(job.factor_set)
    base_fs = (
        fs
        if job.baseline_factor_set == job.factor_set
        else load_factor_set(job.baseline_factor_set)
    )
    baseline = account(org, job.baseline_policy, current_plan(org), base_fs)
    row: dict[str, Any] = {
        "baseline_tco2e": baseline.total_tco2e,
        "hit_time_limit": False,
    }
    limit_s = s.optimiser.time_limit_s
    t_opt = time.perf_counter()
    try:
        if job.optimises:
            from footprint.hubs.model import optimise_hubs

            report = optimise_hubs(
                org,
                s.policy,
                s.hubs.count or None,
                s.optimiser,
                keep_offices_whole=s.hubs.assignment == "offices_whole",
                factors=fs,
                costs=costs,
                warm_start=warm_start,
            )
            fp = report.footprint
            solver = report.solver
            row |= {
                "status": solver.status,
                "linear_objective_tco2e": solver.objective / 1000,
                "gap": float(solver.gap),
                "hit_time_limit": hit_time_limit(
                    solver.status, solver.seconds, report.seconds, limit_s
                ),
            }
        else:
            plan, _ = plan_for(org, s.policy, s.hubs, s)
            fp = account(org, s.policy, plan, fs)
            row |= {
                "status": "planned",
                "linear_objective_tco2e": float("nan"),
                "gap": float("nan"),
            }
    except InfeasibleScenario as e:
        nan = float("nan")
        ran_s = time.perf_counter() - t_opt
        row |= {
            "hit_time_limit": job.optimises and ran_s >= limit_s,
            "feasible": False,
            "message": "; ".join(e.reasons),
            "status": "infeasible",
            "n_hubs": 0,
            "hubs": "",
            "total_tco2e": nan,
            "change_tco2e": nan,
            "mean_commute_km": nan,
            "median_commute_km": nan,
            "staff_over_limit": nan,
            "staff_remote": nan,
            "floor_area_m2": nan,
            "linear_objective_tco2e": nan,
            "gap": nan,
            "solve_seconds": time.perf_counter() - t0,
        }
        return PointSolve(job.index, row, None)
    c = fp.commute
    row |= {
        "feasible": True,
        "message": "",
        "n_hubs": len(fp.open_site_ids),
        "hubs": " ".join(fp.open_site_ids),
        "total_tco2e": fp.total_tco2e,
        "change_tco2e": fp.total_tco2e - baseline.total_tco2e,
        "mean_commute_km": c.mean_km,
        "median_commute_km": c.median_km,
        "staff_over_limit": c.staff_over_limit,
        "staff_remote": c.staff_remote,
        "floor_area_m2": fp.floor_area_m2,
        "solve_seconds": time.perf_counter() - t0,
    }
    return PointSolve(job.index, row, draw_input(fp, baseline))


def hit_time_limit(
    status: str, solver_seconds: float, optimiser_seconds: float, limit_s: float
) -> bool:
    """True when the optimiser may have been stopped by its wall-clock limit.

    The solver says ``time_limit``, or the solve (or the whole optimisation with its
    local search) took at least the limit: every wall-clock stop of the heuristic is
    checked against the same limit, so a run shorter than it was not cut (the one
    exception: a fallback HiGHS assignment in the single-source heuristic, capped at
    2 s, which the heuristic uses only when its own assignment finds no plan). Such a
    point's hubs can differ from run to run; a point not flagged is reproducible with
    the ``heuristic`` method. [s]
    """
    return bool(
        status == "time_limit"
        or solver_seconds >= limit_s
        or optimiser_seconds >= limit_s
    )


def draw_block(solved: PointSolve, seed: int, start: int, stop: int) -> np.ndarray:
    """Draws ``start`` to ``stop - 1`` of a solved point: columns scenario and baseline total. [t CO2e/yr]"""
    if solved.draws is None:
        return np.empty((0, 2))
    return draw_totals(solved.draws, seed, start, stop)


def resized_hubs(org: Organisation, hub_ids: tuple[str, ...], k: int) -> np.ndarray:
    """A warm start of ``k`` hubs from another point's hubs (site ids).

    Too many: keep must-keep sites, then the largest by headcount. Too few: add the
    largest other sites that can be hubs.
    """
    s = org.sites
    index = {sid: j for j, sid in enumerate(s.site_id)}
    sites = [index[h] for h in hub_ids if h in index]
    if len(sites) >= k:
        keep = sorted(sites, key=lambda j: (not s.must_keep[j], -s.headcount[j], j))
        return np.array(keep[:k], dtype=np.int64)
    have = set(sites)
    extra = [
        int(j)
        for j in np.argsort(-s.headcount, kind="stable")
        if int(j) not in have and s.can_be_hub[j]
    ]
    return np.array(sites + extra[: k - len(sites)], dtype=np.int64)


def solve_chain(
    org: Organisation, costs: Any, jobs: tuple[PointJob, ...], done_hubs: dict[int, str]
) -> tuple[PointSolve, ...]:
    """Solve points that differ only in their number of hubs, in ascending order, warm-started.

    Each point starts from the previous point's hubs; a previous point already in the
    results file (``done_hubs``: point index → its hub ids, space-separated) is not
    solved again but still passes its hubs on. Returns the solves of the other points.
    """
    out = []
    previous: tuple[str, ...] | None = None
    for job in sorted(jobs, key=lambda j: j.scenario.hubs.count):
        if job.index in done_hubs:
            hubs = tuple(done_hubs[job.index].split())
        else:
            warm = (
                resized_hubs(org, previous, job.scenario.hubs.count)
                if previous
                else None
            )
            solved = solve_point(org, costs, job, warm)
            out.append(solved)
            hubs = tuple(solved.row["hubs"].split())
        previous = hubs or previous
    return tuple(out)


def chain_member(solves: tuple[PointSolve, ...], index: int) -> PointSolve:
    """The solve of point ``index`` from a chain's solves."""
    return next(s for s in solves if s.index == index)
