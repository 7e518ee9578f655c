"""The attribution of a scenario's change: exact Shapley values over the levers it moves."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import TOY_SITES, TOY_STAFF, toy_collaboration
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint.accounting import Plan, account, current_plan
from footprint.decisions.attribution import (
    BUILDING,
    CONSOLIDATION,
    FACTORS,
    LEVERS,
    SPACE,
    WAYS,
    AttributionError,
    attribute_change,
)
from footprint.decisions.shapley import shapley_values
from footprint.factors import load_factor_set
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

# Toy policy under which a hub's sized area equals today's area (every toy office has
# 20 m² per person in SMALL): everyone in every day, one desk per person, 20 m² per desk, no fixed area.
SAME_SPACE = {
    "office_days_per_week": 5.0,
    "peak_factor": 1.0,
    "desk_sharing_ratio": 1.0,
    "m2_per_desk": 20.0,
    "hub_fixed_area_m2": 0.0,
}
SMALL = {"floor_area_m2": [200.0, 80.0, 120.0]}  # 10, 4 and 6 staff


# --- the Shapley values themselves -----------------------------------------------------
def test_additive_game_gives_each_player_its_own_value():
    own = {"a": 3.0, "b": -7.5, "c": 0.25}
    phi = shapley_values(list(own), lambda s: sum(own[p] for p in s))
    assert phi == pytest.approx(own, abs=1e-12)


def test_pure_interaction_is_split_equally():
    # v = 12 only when a and b are both present: each gets 6, c gets 0
    phi = shapley_values(["a", "b", "c"], lambda s: 12.0 if {"a", "b"} <= s else 0.0)
    assert phi == pytest.approx({"a": 6.0, "b": 6.0, "c": 0.0}, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.floats(-1e6, 1e6), min_size=2**k, max_size=2**k),
            st.randoms(),
        )
    )
)
def test_shapley_is_efficient_and_symmetric_in_the_order_of_players(case):
    k, values, rnd = case
    players = [f"p{i}" for i in range(k)]
    table = {
        frozenset(c): values[i]
        for i, c in enumerate(
            c for r in range(k + 1) for c in itertools.combinations(players, r)
        )
    }
    phi = shapley_values(players, table.__getitem__)
    assert sum(phi.values()) == pytest.approx(
        table[frozenset(players)] - table[frozenset()], abs=1e-6
    )
    shuffled = players[:]
    rnd.shuffle(shuffled)
    again = shapley_values(shuffled, table.__getitem__)
    assert again == pytest.approx(phi, abs=1e-9)


# --- the toy organisation ----------------------------------------------------------------
def _org(**site_changes) -> Organisation:
    return Organisation(
        "toy",
        Sites.from_columns({**TOY_SITES, **site_changes}, source="toy sites"),
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


def _hub_plan(org: Organisation, moves: dict[str, str]) -> Plan:
    """All staff to their office, except whole offices moved as in ``moves`` (office → hub)."""
    ids = list(org.sites.site_id)
    target = {s: moves.get(s, s) for s in ids}
    assignment = np.array([ids.index(target[ids[g]]) for g in org.group_site])
    open_sites = np.zeros(len(ids), dtype=bool)
    open_sites[np.unique(assignment)] = True
    return Plan(open_sites, assignment, False, "toy hubs")


def test_building_performance_effect_matches_the_hand_computed_energy_change():
    # Same sites, same people, same floor area: only the intensity changes, to 60 / 70 kWh/m².
    toy_org = _org(**SMALL)
    base = Policy(**SAME_SPACE)
    scen = Policy(
        **SAME_SPACE, hub_electricity_kwh_per_m2=60.0, hub_heating_kwh_per_m2=70.0
    )
    plan = _hub_plan(toy_org, {})
    att = attribute_change(toy_org, base, scen, plan)
    fs = load_factor_set("desnz-2025")
    elec = fs["electricity_generation"].value + fs["electricity_td"].value
    gas = fs["natural_gas"].value
    # A (gas) 200 m², B (gas) 80 m², C (electric heating) 120 m²; today's intensities from TOY_SITES
    d_elec_kwh = 200 * (60 - 100) + 80 * (60 - 120) + 120 * (60 - 90) + 120 * (70 - 130)
    d_gas_kwh = 200 * (70 - 150) + 80 * (70 - 100)
    hand = d_elec_kwh * elec + d_gas_kwh * gas
    effects = {e.key: e for e in att.effects}
    assert set(effects) == {BUILDING, SPACE}
    assert effects[BUILDING].kgco2e == pytest.approx(hand, rel=1e-12)
    assert effects[SPACE].kgco2e == pytest.approx(0.0, abs=1e-6)
    assert att.change_kgco2e == pytest.approx(hand, rel=1e-12)


def test_consolidation_at_equal_buildings_takes_the_whole_change():
    # Every office alike (100/150 kWh/m², gas), hubs at the same intensity and today's space:
    # closing Reading (B) into London (A) changes only where people travel.
    org = _org(
        **SMALL,
        electricity_kwh_per_m2=[100.0] * 3,
        heating_kwh_per_m2=[150.0] * 3,
        heating_fuel=["gas"] * 3,
    )
    policy = Policy(
        **SAME_SPACE, hub_electricity_kwh_per_m2=100.0, hub_heating_kwh_per_m2=150.0
    )
    plan = _hub_plan(org, {"B": "A"})
    base_fp = account(org, policy, current_plan(org))
    scen_fp = account(org, policy, plan)
    att = attribute_change(
        org, policy, policy, plan, baseline=base_fp, scenario=scen_fp
    )
    effects = {e.key: e for e in att.effects}
    assert set(effects) == {CONSOLIDATION, BUILDING, SPACE}
    assert effects[BUILDING].kgco2e == pytest.approx(0.0, abs=1e-6)
    assert effects[SPACE].kgco2e == pytest.approx(0.0, abs=1e-6)
    assert effects[CONSOLIDATION].kgco2e == pytest.approx(
        scen_fp.total_kgco2e - base_fp.total_kgco2e, rel=1e-12
    )
    # the same floor area at the same intensity: no building emissions change at all
    by_cat = effects[CONSOLIDATION].by_category_kgco2e
    assert by_cat["Scope 1: heating fuel"] == pytest.approx(0.0, abs=1e-6)
    assert by_cat["Scope 2: electricity and heat"] == pytest.approx(0.0, abs=1e-6)
    assert by_cat["Scope 3 cat. 7: commuting"] != 0.0


def test_a_policy_only_scenario_has_only_policy_levers(toy_org):
    base = Policy()
    scen = Policy(video_share=0.9, office_days_per_week=2.0)
    att = attribute_change(toy_org, base, scen, current_plan(toy_org))
    assert [e.key for e in att.effects] == [WAYS]
    hand = (
        account(toy_org, scen, current_plan(toy_org)).total_kgco2e
        - account(toy_org, base, current_plan(toy_org)).total_kgco2e
    )
    assert att.effects[0].kgco2e == pytest.approx(hand, rel=1e-12)


_LEVER_ORDERS = list(
    itertools.permutations([CONSOLIDATION, BUILDING, SPACE, WAYS, FACTORS, "other"])
)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(_LEVER_ORDERS))
def test_attribution_adds_up_and_does_not_depend_on_the_order_of_levers(toy_org, order):
    base = Policy()
    scen = Policy(
        office_days_per_week=2.0,
        video_share=0.7,
        desk_sharing_ratio=0.7,
        factor_set="desnz-2024",
        hub_electricity_kwh_per_m2=60.0,
        car_occupancy=1.2,
    )
    plan = _hub_plan(toy_org, {"B": "A", "C": "A"})
    base_fp = account(toy_org, base, current_plan(toy_org))
    scen_fp = account(toy_org, scen, plan, load_factor_set("desnz-2024"))
    reference = attribute_change(
        toy_org, base, scen, plan, baseline=base_fp, scenario=scen_fp
    )
    att = attribute_change(
        toy_org, base, scen, plan, baseline=base_fp, scenario=scen_fp, order=order
    )
    assert len(att.effects) == 6 and att.evaluations == 2**6
    assert [e.key for e in att.effects] == list(order)
    assert sum(e.tco2e for e in att.effects) == pytest.approx(
        (scen_fp.total_kgco2e - base_fp.total_kgco2e) / 1000, abs=1e-9
    )
    ref = {e.key: e.kgco2e for e in reference.effects}
    assert {e.key: e.kgco2e for e in att.effects} == pytest.approx(ref, abs=1e-9)
    assert [e.key for e in reference.effects] == list(LEVERS)
    # by category sums to each effect
    for e in att.effects:
        assert sum(e.by_category_kgco2e.values()) == pytest.approx(e.kgco2e, abs=1e-6)


def test_a_baseline_from_another_policy_is_refused(toy_org):
    other = account(toy_org, Policy(office_days_per_week=1.0), current_plan(toy_org))
    with pytest.raises(AttributionError, match="baseline"):
        attribute_change(
            toy_org,
            Policy(),
            Policy(video_share=0.5),
            current_plan(toy_org),
            baseline=other,
        )


def test_waterfall_runs_from_baseline_to_scenario(toy_org):
    att = attribute_change(
        toy_org,
        Policy(),
        Policy(video_share=0.9, factor_set="desnz-2024"),
        current_plan(toy_org),
    )
    bars = att.waterfall()
    assert bars[0][0] == "Baseline" and bars[-1][0] == "Scenario"
    assert bars[-2][2] == pytest.approx(bars[-1][2], abs=1e-9)
    rows = att.rows()
    assert rows[-1][0] == "Total change"
    assert sum(r[2] for r in rows[:-1]) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.slow
def test_demo_hubs_30_attribution_adds_up_to_the_reported_change():
    from pathlib import Path

    from footprint.decisions.attribution import attribute
    from footprint.scenario import load_scenario
    from footprint.scenario.run import run_scenario

    result = run_scenario(
        load_scenario(Path(__file__).parents[1] / "scenarios" / "hubs-30.toml")
    )
    att = attribute(result)
    assert [e.key for e in att.effects] == [CONSOLIDATION, BUILDING, SPACE]
    assert sum(e.tco2e for e in att.effects) == pytest.approx(
        result.change_kgco2e / 1000, abs=1e-9
    )
    effects = {e.key: e.tco2e for e in att.effects}
    # refurbished hubs and the new space standard save; moving people into 30 buildings alone adds
    assert effects[BUILDING] < 0 and effects[SPACE] < 0 and effects[CONSOLIDATION] > 0
