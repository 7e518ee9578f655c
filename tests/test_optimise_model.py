"""Footprint's hub model on top of the solver: costs, optimality, infeasibility, sweeps, save/reload."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import TOY_SITES

from footprint.accounting import account, nearest_plan
from footprint.errors import InfeasibleScenario
from footprint.factors import load_factor_set
from footprint.hubs.costs import hub_costs
from footprint.hubs.model import optimise_hubs
from footprint.hubs.sweep import (
    SweepPoint,
    SweepResult,
    knee_point,
    pareto_front,
    sweep_hubs,
)
from footprint.inputs import Organisation, Policy, Sites
from footprint.scenario.schema import OptimiserSettings

EXACT = OptimiserSettings(method="exact", time_limit_s=20, mip_gap=0.0, respect_capacity=False)
FS = load_factor_set("desnz-2025")


def linear_cost(org, policy, open_mask, whole):
    c = hub_costs(org, policy, FS, keep_offices_whole=whole)
    cols = [int(np.flatnonzero(c.candidates == j)[0]) for j in np.flatnonzero(open_mask)]
    return float(c.cost[:, cols].min(axis=1).sum() + c.fixed[cols].sum())


def test_commuting_cost_matches_the_accounting(toy_org):
    policy = Policy(hub_electricity_kwh_per_m2=0, hub_heating_kwh_per_m2=0)  # isolate commuting
    mask = np.array([True, False, True])
    plan = nearest_plan(toy_org, policy, mask)
    fp = account(toy_org, policy, plan)
    commuting = fp.by_category()["Scope 3 cat. 7: commuting"]
    c = hub_costs(toy_org, policy, FS, keep_offices_whole=False)
    assert c.cost[np.arange(4), plan.assignment].sum() == pytest.approx(commuting, rel=1e-12)
    assert np.all(c.fixed == 0.0)  # no building energy in this policy


def test_fixed_cost_is_the_fixed_area(toy_org):
    policy = Policy()
    c = hub_costs(toy_org, policy, FS, keep_offices_whole=True)
    # London (gas): 500 m² × (75 kWh × (0.177 + 0.01853) + 80 kWh × 0.18296)
    assert c.fixed[0] == pytest.approx(500 * (75 * (0.17700 + 0.01853) + 80 * 0.18296))
    # Cambridge heats electrically: 500 m² × (75 + 80) kWh × (0.177 + 0.01853)
    assert c.fixed[2] == pytest.approx(500 * 155 * (0.17700 + 0.01853))


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("k", [1, 2])
def test_exact_matches_brute_force(toy_org, k, whole):
    policy = Policy()
    report = optimise_hubs(toy_org, policy, k, EXACT, keep_offices_whole=whole)
    best = min(
        linear_cost(toy_org, policy, np.isin(np.arange(3), combo), whole)
        for combo in itertools.combinations(range(3), k)
    )
    assert report.solver.status == "optimal"
    assert report.linear_objective_kg == pytest.approx(best, rel=1e-9)
    assert report.plan.n_open == k
    assert report.footprint.total_kgco2e == pytest.approx(account(toy_org, policy, report.plan).total_kgco2e)
    assert "proven optimal" in report.proven_statement


def test_must_keep_is_kept(toy_org):
    sites = Sites.from_columns(dict(TOY_SITES, must_keep=[False, False, True]))
    org = Organisation("toy", sites, toy_org.staff, toy_org.collaboration)
    report = optimise_hubs(org, Policy(), 1, EXACT)
    assert report.hub_ids == ("C",)


def test_infeasible_in_words(toy_org):
    sites = Sites.from_columns(dict(TOY_SITES, must_keep=[True, True, False]))
    org = Organisation("toy", sites, toy_org.staff, toy_org.collaboration)
    with pytest.raises(InfeasibleScenario) as e:
        optimise_hubs(org, Policy(), 1, EXACT)
    assert e.value.reasons[0].startswith("2 sites are must-keep (London, Reading…) but only 1 hubs are allowed")

    small = Organisation("toy", Sites.from_columns(dict(TOY_SITES, max_desks=[3, 3, 3])), toy_org.staff,
                         toy_org.collaboration)
    with pytest.raises(InfeasibleScenario) as e:
        optimise_hubs(small, Policy(), 2, dataclasses.replace(EXACT, respect_capacity=True))
    # 20 staff × 3/5 × 1.2 × 0.8 desks = 11.52 desks needed; 2 largest hubs hold 6
    assert e.value.reasons[0].startswith("the 2 largest hubs hold 6 desks but 12 are needed at peak")

    far = Policy(max_commute_km=1.0, beyond_limit="forbid")
    with pytest.raises(InfeasibleScenario) as e:
        optimise_hubs(toy_org, far, 1, EXACT)
    assert e.value.reasons[0].startswith("3 office(s) (London, Reading, Cambridge; 20 staff) cannot move whole")
    with pytest.raises(InfeasibleScenario) as e:
        optimise_hubs(toy_org, far, 1, EXACT, keep_offices_whole=False)
    assert e.value.reasons[0].startswith("20 staff live beyond the commute limit of every possible hub")
    # the same limit, soft: they commute anyway and are counted
    soft = optimise_hubs(toy_org, Policy(max_commute_km=1.0, beyond_limit="commute"), 1, EXACT)
    assert soft.footprint.commute.staff_over_limit == 20.0


def test_commute_limit_makes_remote_workers(toy_org):
    policy = Policy(max_commute_km=40.0, beyond_limit="remote")
    report = optimise_hubs(toy_org, policy, 1, EXACT, keep_offices_whole=False)
    fp = report.footprint
    assert fp.commute.staff_remote > 0
    assert np.all(fp.groups.distance_km[fp.groups.site >= 0] <= 40.0)


def test_pareto_and_knee_by_hand():
    x = np.array([10.0, 8.0, 6.0, 5.0, 9.0, 4.5])
    y = np.array([1.0, 1.5, 2.0, 4.0, 3.0, 8.0])
    front = pareto_front(x, y)
    assert front.tolist() == [5, 3, 2, 1, 0]  # point 4 (9.0, 3.0) is dominated by (8.0, 1.5)
    assert knee_point(x, y, front) == 2  # (6, 2): farthest from the chord (4.5, 8)–(10, 1)


def test_commute_fronts_by_hand():
    def point(n, total, mean, over, feasible=True):
        return SweepPoint(n_hubs=n, commute_weight_kg_per_km=0.0, total_tco2e=total, mean_commute_km=mean,
                          median_commute_km=mean, staff_over_60_min=over, floor_area_m2=0.0,
                          linear_objective_tco2e=total, gap=0.0, status="optimal", seconds=0.0, hub_ids=(),
                          feasible=feasible)

    # (t CO2e, mean km, staff over 60 min); the infeasible point would dominate everything
    pts = (point(5, 100, 10, 5), point(10, 90, 12, 8), point(15, 95, 15, 2), point(20, 80, 20, 9),
           point(25, 70, 1, 0, feasible=False))
    res = SweepResult(pts, (), None, 0.0, axes=("n_hubs", "total_tco2e"))
    # mean km: (95, 15) is dominated by (90, 12); normalised, (90, 12) lies 0.3/sqrt(2) off the chord
    assert res.front("total_tco2e", "mean_commute_km") == ((3, 1, 0), 1)
    # over 60 min: (100, 5) is dominated by (95, 2)
    assert res.front("total_tco2e", "staff_over_60_min") == ((3, 1, 2), 1)
    rows = res.to_rows()
    assert [r["on_front_tco2e_vs_over_60_min"] for r in rows] == [False, True, True, True, False]
    assert [r["on_front_tco2e_vs_mean_commute"] for r in rows] == [True, True, False, True, False]
    assert [r["knee_tco2e_vs_mean_commute"] for r in rows] == [False, True, False, False, False]


def test_sweep_on_the_toy(toy_org):
    res = sweep_hubs(toy_org, Policy(), [1, 2, 3], EXACT)
    assert [p.n_hubs for p in res.points] == [1, 2, 3]
    assert all(p.status == "optimal" for p in res.points)
    means = [p.mean_commute_km for p in res.points]
    assert means[0] >= means[1] >= means[2]  # more hubs, shorter commutes
    assert res.axes == ("n_hubs", "total_tco2e")
    assert set(res.pareto) <= {0, 1, 2}
    csv = res.to_csv().decode()
    assert csv.splitlines()[0].startswith("n_hubs,commute_weight_kg_per_km,total_tco2e")


def test_optimise_save_reload_reproduces(tmp_path):
    from footprint.cli import main
    from footprint.scenario import load_scenario, run_scenario

    src = tmp_path / "s.toml"
    src.write_text('schema_version = 1\nname = "ten"\n[hubs]\nselection = "optimise"\ncount = 10\n'
                   'assignment = "offices_whole"\n[optimiser]\nmethod = "heuristic"\ntime_limit_s = 20.0\n'
                   "respect_capacity = false\n")
    out = tmp_path / "saved.toml"
    r = CliRunner().invoke(main, ["optimise", str(src), "--json", "--save", str(out)])
    assert r.exit_code == 0, r.output + r.stderr
    import json

    chosen = json.loads(r.stdout)
    saved = load_scenario(out)
    assert saved.hubs.selection == "explicit" and len(saved.hubs.sites) == 10
    again = run_scenario(saved)
    assert again.footprint.total_tco2e == pytest.approx(chosen["footprint"]["total_tco2e"], rel=1e-12)


def _swap_costs(remote: bool = False):
    from footprint.hubs.costs import HubCosts

    # units 0-1 near candidate 0, units 2-3 near candidate 1; candidate 2 is next to candidate 0
    cost = np.array([[1.0, 9.0, 2.0], [1.0, 9.0, 2.0], [9.0, 1.0, 8.0], [9.0, 1.0, 8.0]])
    return HubCosts(np.arange(3), cost, np.ones(4), np.array([2.0, 3.0 - remote, 1.0]),
                    np.full(4, 8.5) if remote else None, None, np.zeros(3), np.arange(4), None)


def test_swap_trial_keeps_the_plan_but_the_swap():
    """The new hub takes over the old hub's units; the others stay where they were."""
    from footprint.hubs.model import _SwapTrials

    costs = _swap_costs()
    unit_cols = np.array([0, 0, 1, 1])
    trials = _SwapTrials(costs, np.array([0, 1]), unit_cols, True, deadline=np.inf)
    # candidate 2 holds one desk: one of hub 0's units fits, the other goes to hub 1
    state, cols = trials.trial(0, 2)
    assert sorted(state[0].tolist()) == [1, 2]
    assert sorted(cols.tolist()) == [1, 1, 1, 2]
    assert cols[2] == 1 and cols[3] == 1
    # without capacities every unit goes to its cheapest hub
    free = _SwapTrials(costs, np.array([0, 1]), unit_cols, False, deadline=np.inf)
    assert free.trial(0, 2)[1].tolist() == [2, 2, 1, 1]
    # accepting makes the trial the plan the next trial starts from
    trials.accept(state)
    state, cols = trials.trial(2, 0)
    assert cols.tolist() == [0, 0, 1, 1]


def test_swap_trial_with_remote_work():
    """Units that cannot be placed work remotely (column -1) when that is allowed."""
    from footprint.hubs.model import _SwapTrials

    costs = _swap_costs(remote=True)
    trials = _SwapTrials(costs, np.array([0, 1]), np.array([0, 0, 1, 1]), True, deadline=np.inf)
    _, cols = trials.trial(1, 2)  # hub 1's units do not fit at candidate 2 (one desk)
    assert sorted(cols.tolist()) == [-1, 0, 0, 2]


def test_costs_built_ahead_serve_the_same_request_only(toy_org, monkeypatch):
    """A standby worker builds the likely job's costs ahead; any other request is built anew."""
    from footprint.hubs import costs as hc

    monkeypatch.setattr(hc, "_ahead", None)
    policy = Policy()
    hc.build_ahead(toy_org, policy, FS, keep_offices_whole=False)
    ahead = hc._ahead[1]
    assert hub_costs(toy_org, Policy(), FS, keep_offices_whole=False) is ahead  # an equal policy
    fresh = hub_costs(toy_org, policy, FS, keep_offices_whole=True)
    assert fresh is not ahead
    other = hub_costs(toy_org, dataclasses.replace(policy, office_days_per_week=2.0), FS,
                      keep_offices_whole=False)
    assert other is not ahead and not np.allclose(other.cost, ahead.cost)
    assert hub_costs(toy_org, policy, FS, keep_offices_whole=False, commute_weight_kg_per_km=0.1) is not ahead
    # what was built ahead equals what would be built now
    monkeypatch.setattr(hc, "_ahead", None)
    assert np.array_equal(hub_costs(toy_org, policy, FS, keep_offices_whole=False).cost, ahead.cost)
