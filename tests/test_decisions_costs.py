"""Costs, payback, embodied carbon and targets, hand-computed on the toy organisation."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TOY_SITES, TOY_STAFF, toy_collaboration

from footprint.accounting import Plan, account, current_plan
from footprint.decisions.costs import annual_cost, annuity_factor, appraise, move_cost
from footprint.decisions.defaults import COST_KEYS, EMBODIED_KEYS, load_cost_defaults
from footprint.decisions.targets import check_target
from footprint.errors import InputError
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

SAME_SPACE = {
    "office_days_per_week": 5.0,
    "peak_factor": 1.0,
    "desk_sharing_ratio": 1.0,
    "m2_per_desk": 20.0,
    "hub_fixed_area_m2": 0.0,
}


def _org(**site_changes) -> Organisation:
    # London (A) sits at Charing Cross; Reading (B) and Cambridge (C) are regional
    return Organisation(
        "toy",
        Sites.from_columns({**TOY_SITES, **site_changes}, source="toy sites"),
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


def test_every_default_has_unit_currency_year_source_and_confidence():
    d = load_cost_defaults()
    assert set(d.costs) == set(COST_KEYS) and set(d.embodied) == set(EMBODIED_KEYS)
    for v in d.rows():
        assert v.unit and v.source and v.year >= 2020 and v.confidence in "PSDA"
        assert v.lo <= v.value <= v.hi
    assert d.currency == "GBP"


def test_a_bad_defaults_file_names_the_file_and_key(tmp_path):
    from footprint.decisions.defaults import DEFAULTS_PATH

    text = DEFAULTS_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "costs.toml"
    bad.write_text(text.replace("value = 0.21\n", "value = -1.0\n"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_cost_defaults(bad)
    p = e.value.problems[0]
    assert (
        p.source == str(bad)
        and p.field == "costs.electricity.value"
        and "≥ 0" in p.message
    )


def test_annual_cost_of_todays_toy_estate_by_hand():
    org = _org(
        annual_cost_per_m2=[None, 300.0, None]
    )  # Reading's occupancy cost is known
    policy = Policy(office_days_per_week=5)  # a desk each, every day: energy = area × intensity
    fp = account(org, policy, current_plan(org))
    c = annual_cost(org, fp, policy)
    # London 1000 m² at 807 rent, ×0.555 rates, 161 service; Cambridge 600 m² at 377, 86; Reading from data
    assert c.rent == pytest.approx(1000 * 807 + 600 * 377)
    assert c.rates == pytest.approx(0.555 * (1000 * 807 + 600 * 377))
    assert c.service_charge == pytest.approx(1000 * 161 + 600 * 86)
    assert c.site_data == pytest.approx(400 * 300)
    assert c.sites_with_data == 1 and c.sites_open == 3
    # electricity: 100, 120, 90 kWh/m² plus Cambridge's electric heating 130 kWh/m²
    assert c.electricity == pytest.approx(
        0.21 * (1000 * 100 + 400 * 120 + 600 * 90 + 600 * 130)
    )
    assert c.gas == pytest.approx(0.06 * (1000 * 150 + 400 * 100))
    assert c.district_heat == 0.0
    assert c.organisation_total == pytest.approx(
        c.estate + c.energy + c.business_travel
    )
    assert c.commuting_staff > 0  # paid by staff, and not in the organisation's total


def test_move_cost_payback_and_carbon_payback_by_hand():
    org = _org(floor_area_m2=[200.0, 80.0, 120.0])  # 20 m² per person everywhere
    policy = Policy(**SAME_SPACE)
    ids = ["A", "B", "C"]
    assignment = np.array(
        [0 if ids[g] == "B" else g for g in org.group_site]
    )  # Reading moves to London
    plan = Plan(np.array([True, False, True]), assignment, False, "B into A")
    base_fp = account(org, policy, current_plan(org))
    fp = account(org, policy, plan)
    move = move_cost(org, plan, fp, base_fp, policy)
    # London grows from 200 to 14 × 20 = 280 m²: 80 m² new (Cat A + B, London prices);
    # 200 m² kept in London and 120 m² in Cambridge refitted Cat B (Cambridge at 0.8 × London)
    assert move.new_area_m2 == pytest.approx(
        80
    ) and move.refit_area_m2 == pytest.approx(320)
    assert move.vacated_area_m2 == pytest.approx(80) and move.people_moved == 4
    assert move.fit_out_cat_a == pytest.approx(80 * 592)
    assert move.fit_out_cat_b == pytest.approx((80 + 200) * 753 + 120 * 753 * 0.8)
    assert move.dilapidations == pytest.approx(80 * 215)
    assert move.relocation == pytest.approx(4 * 500)
    assert move.embodied_kgco2e == pytest.approx(80 * (100 + 190) + 320 * 190)
    assert move.embodied_lo_kgco2e == pytest.approx(80 * (60 + 120) + 320 * 120)

    app = appraise(org, plan, fp, base_fp, policy)
    saving = app.baseline.organisation_total - app.scenario.organisation_total
    assert app.annual_saving_gbp == pytest.approx(saving)
    af = (1 - 1.035**-10) / 0.035
    assert app.npv_gbp == pytest.approx(-move.total + saving * af)
    assert app.payback_years == (
        pytest.approx(move.total / saving) if saving > 0 else None
    )
    avoided = (base_fp.total_kgco2e - fp.total_kgco2e) / 1000
    assert app.avoided_tco2e == pytest.approx(avoided)
    if avoided > 0:
        assert app.carbon_payback_years == pytest.approx(
            move.embodied_kgco2e / 1000 / avoided
        )
        assert app.cost_per_tco2e_gbp == pytest.approx(
            (move.total / af - saving) / avoided
        )
    else:
        assert app.carbon_payback_years is None and app.cost_per_tco2e_gbp is None


def test_todays_estate_has_no_move_cost(toy_org):
    policy = Policy(video_share=0.9)
    fp = account(toy_org, policy, current_plan(toy_org))
    base = account(toy_org, Policy(), current_plan(toy_org))
    app = appraise(toy_org, current_plan(toy_org), fp, base, policy)
    assert app.move.total == 0 and app.embodied_tco2e == 0
    assert app.annual_saving_gbp > 0  # fewer trips, lower fares and hotel bills
    assert app.payback_years == 0.0 and app.carbon_payback_years == 0.0


def test_annuity_factor_matches_the_closed_form():
    assert annuity_factor(10, 0.035) == pytest.approx(
        (1 - 1.035**-10) / 0.035, rel=1e-12
    )
    assert annuity_factor(7, 0.0) == 7.0


def test_target_check():
    t = check_target(
        Policy(target_reduction=0.42), scenario_tco2e=70.0, baseline_tco2e=100.0
    )
    assert t.base_is_baseline and t.target_tco2e == pytest.approx(58.0)
    assert t.gap_tco2e == pytest.approx(12.0) and not t.meets
    assert t.achieved == pytest.approx(30 / 42)
    t2 = check_target(
        Policy(target_base_tco2e=120.0, target_reduction=0.5), 55.0, 100.0
    )
    assert (
        not t2.base_is_baseline and t2.meets and t2.target_tco2e == pytest.approx(60.0)
    )
    assert "−50 % by 2030 against 2019" in t2.sentence()


def test_carbon_payback_uncertainty_brackets_the_central_estimate(toy_org):
    from footprint.accounting.uncertainty import carbon_payback_uncertainty

    base = account(toy_org, Policy(), current_plan(toy_org))
    fp = account(toy_org, Policy(video_share=0.9), current_plan(toy_org))
    saving_t = (base.total_kgco2e - fp.total_kgco2e) / 1000
    assert saving_t > 0
    exact, payback = carbon_payback_uncertainty(
        fp, base, 5000.0, 5000.0, 5000.0
    )  # no spread on the embodied
    assert exact.p05 == exact.p95 == pytest.approx(5.0)
    assert payback.p05 < 5.0 / saving_t < payback.p95
    wide, wide_payback = carbon_payback_uncertainty(fp, base, 5000.0, 2500.0, 10000.0)
    assert wide.p05 < 5.0 < wide.p95
    assert wide_payback.p95 - wide_payback.p05 > payback.p95 - payback.p05


def test_summary_and_json_carry_the_decision(toy_org):
    from footprint.scenario.run import run_scenario
    from footprint.scenario.schema import HubChoice, Scenario
    from footprint.scenario.summary import format_summary, result_to_dict

    s = Scenario(
        "toy hubs",
        policy=Policy(video_share=0.6),
        hubs=HubChoice(selection="explicit", sites=("A", "C")),
    )
    result = run_scenario(s, organisation=toy_org)
    d = result_to_dict(result)
    effects = d["attribution"]["effects"]
    assert sum(e["tco2e"] for e in effects) == pytest.approx(
        d["change"]["total_tco2e"], abs=1e-9
    )
    assert (
        d["cost"]["currency"] == "GBP" and d["cost"]["one_off_gbp"]["One-off total"] > 0
    )
    assert d["target"]["reduction"] == 0.42
    text = format_summary(result)
    assert (
        "What drives the change" in text
        and "pays back" in text
        and "Target −42 % by 2030" in text
    )
    assert "Scenario: toy hubs" in text  # the existing lines are kept
