"""Building energy and occupancy (issue 14 items 11 and 12): the optimiser's building cost is the
accounting's, energy follows office days in today's offices and in hubs, and never falls when
people come in more often.

The toy is the three-office one of conftest; DESNZ 2025 factors.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TOY_SITES, TOY_STAFF, toy_collaboration
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint.accounting import account, current_plan, nearest_plan
from footprint.accounting.buildings import (
    ENERGY_FORMULAS,
    OccupancyShares,
    building_use,
    desks_per_person,
)
from footprint.accounting.result import CAT_BUSINESS_TRAVEL, CAT_HOMEWORKING
from footprint.decisions.attribution import BUILDING, attribute_change
from footprint.errors import InputError
from footprint.factors import FactorError, load_factor_set
from footprint.hubs.costs import hub_costs
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

FS = load_factor_set("desnz-2025")
A_AND_C = np.array([True, False, True])  # London and Cambridge open: 15 and 5 staff


def _optimiser_cost(org, policy, plan, c) -> float:
    cols = np.array(
        [int(np.flatnonzero(c.candidates == j)[0]) for j in plan.assignment]
    )
    open_cols = [
        int(np.flatnonzero(c.candidates == j)[0])
        for j in np.flatnonzero(plan.open_sites)
    ]
    return float(c.cost[np.arange(len(cols)), cols].sum() + c.fixed[open_cols].sum())


@pytest.mark.parametrize("days", [4.0, 5.0])
def test_optimiser_cost_equals_the_accountings_on_a_fixed_plan(toy_org, days):
    # 4 days, peak 1: 0.8 desks a person, so A's 15 staff need 12 desks and C's 5 need 4 (no rounding);
    # 5 days: a desk each
    policy = Policy(office_days_per_week=days, peak_factor=1.0)
    plan = nearest_plan(toy_org, policy, A_AND_C)
    assert np.bincount(
        plan.assignment, weights=toy_org.staff.count, minlength=3
    ).tolist() == [15, 0, 5]
    fp = account(toy_org, policy, plan)
    assert fp.sites.desks.tolist() == [
        15 * desks_per_person(policy),
        0,
        5 * desks_per_person(policy),
    ]
    by_cat = fp.by_category()
    # the optimiser's linear part: commuting + building energy (homeworking is the same for every
    # plan and business travel is evaluated exactly afterwards)
    linear_part = (
        fp.total_kgco2e - by_cat[CAT_HOMEWORKING] - by_cat[CAT_BUSINESS_TRAVEL]
    )
    c = hub_costs(toy_org, policy, FS, keep_offices_whole=False)
    assert _optimiser_cost(toy_org, policy, plan, c) == pytest.approx(
        linear_part, rel=1e-12
    )


def test_optimiser_money_equals_the_accountings_estate_and_energy_cost(toy_org):
    from footprint.decisions.costs import (
        annual_cost,
        kg_per_gbp,
        relocation_gbp_per_year,
    )

    plain = Policy(office_days_per_week=4, peak_factor=1.0)
    priced = Policy(
        office_days_per_week=4, peak_factor=1.0, carbon_price_gbp_per_t=100.0
    )
    plan = nearest_plan(toy_org, priced, A_AND_C)
    fp = account(toy_org, priced, plan)
    money = annual_cost(toy_org, fp, priced)
    estate_and_energy = money.estate + money.energy
    moved = float(toy_org.staff.count[plan.assignment != toy_org.group_site].sum())
    expected = (
        estate_and_energy + moved * relocation_gbp_per_year(priced)
    ) * kg_per_gbp(priced)
    c0 = hub_costs(toy_org, plain, FS, keep_offices_whole=False)
    c1 = hub_costs(toy_org, priced, FS, keep_offices_whole=False)
    got = _optimiser_cost(toy_org, priced, plan, c1) - _optimiser_cost(
        toy_org, plain, plan, c0
    )
    assert got == pytest.approx(expected, rel=1e-12)


def test_office_days_change_todays_energy_and_hubs_alike(toy_org):
    # 3 → 4 office days: today's offices keep their area, their occupancy-driven part grows by u 0.6 → 0.8
    three, four = Policy(office_days_per_week=3), Policy(office_days_per_week=4)
    today3 = account(toy_org, three, current_plan(toy_org)).sites
    today4 = account(toy_org, four, current_plan(toy_org)).sites
    intensity = np.array(TOY_SITES["electricity_kwh_per_m2"]) * np.array(
        TOY_SITES["floor_area_m2"]
    )
    assert today4.electricity_kwh - today3.electricity_kwh == pytest.approx(
        intensity * 0.5 * 0.2
    )
    # a hub grows with its desks: 20 staff, 3 days → 12 desks (644 m²), 4 days → 16 desks (692 m²), u = 1
    hub3 = account(
        toy_org, three, nearest_plan(toy_org, three, np.array([True, False, False]))
    ).sites
    hub4 = account(
        toy_org, four, nearest_plan(toy_org, four, np.array([True, False, False]))
    ).sites
    assert (hub3.desks[0], hub4.desks[0]) == (12, 16)
    assert hub4.electricity_kwh[0] - hub3.electricity_kwh[0] == pytest.approx(
        (692 - 644) * 75
    )


def test_a_share_outside_zero_to_one_is_an_error(tmp_path, toy_org):
    path = tmp_path / "odd.toml"
    path.write_text(
        '[set]\nid = "odd"\nname = "odd shares"\nyear = 2025\ninherits = ["desnz-2025"]\n\n'
        '[factors.occupancy_share_electricity]\nvalue = 1.5\nunit = "share"\nsource = "typo"\n'
        'confidence = "A"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        FactorError, match="occupancy_share_electricity must be a share between 0 and 1"
    ):
        account(toy_org, Policy(), current_plan(toy_org), load_factor_set(path))


def test_the_shares_are_in_the_factor_trail_with_their_source(toy_org):
    fp = account(toy_org, Policy(), current_plan(toy_org))
    used = fp.factor_by_name()
    assert used["occupancy_share_electricity"].value == 0.5
    assert used["occupancy_share_heating"].value == 0.1
    assert "TM54" in used["occupancy_share_electricity"].source
    assert "OUR reading" in used["occupancy_share_heating"].source


def _org(headcount: list[int], max_desks: list[int]) -> Organisation:
    sites = Sites.from_columns(
        dict(TOY_SITES, headcount=headcount, desks=headcount, max_desks=max_desks),
        source="toy sites",
    )
    return Organisation(
        "toy",
        sites,
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


@settings(max_examples=40, deadline=None)
@given(
    staff=st.lists(st.integers(0, 400), min_size=3, max_size=3),
    max_desks=st.lists(st.integers(0, 300), min_size=3, max_size=3),
    days=st.lists(st.floats(0.0, 5.0), min_size=2, max_size=2),
    peak=st.floats(1.0, 3.0),
    sharing=st.floats(0.1, 2.0),
    phi=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
    current=st.booleans(),
    u_ref=st.floats(0.01, 1.0),
)
def test_energy_never_falls_as_office_days_rise(
    staff, max_desks, days, peak, sharing, phi, current, u_ref
):
    org = _org([10, 4, 6], max_desks)
    lo, hi = sorted(days)
    people = np.array(staff, dtype=float)
    shares = OccupancyShares(*phi)
    use = [
        building_use(
            org,
            Policy(
                office_days_per_week=d,
                peak_factor=peak,
                desk_sharing_ratio=sharing,
                intensity_reference_utilisation=u_ref,
            ),
            np.ones(3, bool),
            people,
            current,
            shares,
        )
        for d in (lo, hi)
    ]
    for a, b in (
        (use[0].electricity_kwh, use[1].electricity_kwh),
        (use[0].heating_kwh, use[1].heating_kwh),
    ):
        assert np.all(b >= a * (1 - 1e-12))
    # and at five office days every hub attendee has a desk (up to the hub's capacity)
    five = building_use(
        org,
        Policy(office_days_per_week=5, peak_factor=peak, desk_sharing_ratio=sharing),
        np.ones(3, bool),
        people,
        False,
        shares,
    )
    assert np.all(five.desks >= np.minimum(people, org.sites.max_desks))


# --- the utilisation at which today's intensities were measured (u_ref) ----------------------
AREA = np.array(TOY_SITES["floor_area_m2"])
I_ELEC = np.array(TOY_SITES["electricity_kwh_per_m2"])
I_HEAT = np.array(TOY_SITES["heating_kwh_per_m2"])
TODAY_STAFF = np.array([10.0, 4.0, 6.0])  # a desk each: u = days / 5
DEFAULT_SHARES = OccupancyShares(0.5, 0.1)


def _today(toy_org, days: float, u_ref: float | None = None):
    extra = {} if u_ref is None else {"intensity_reference_utilisation": u_ref}
    policy = Policy(office_days_per_week=days, **extra)
    return building_use(
        toy_org, policy, np.ones(3, bool), TODAY_STAFF, True, DEFAULT_SHARES
    )


def test_intensities_metered_at_todays_utilisation_give_area_times_intensity(toy_org):
    # 3 office days at a desk each: u = 0.6 = u_ref, so energy is area × intensity exactly
    use = _today(toy_org, 3.0, 0.6)
    assert use.utilisation.tolist() == pytest.approx([0.6, 0.6, 0.6])
    assert use.electricity_kwh.tolist() == [100_000.0, 48_000.0, 54_000.0]
    assert use.heating_kwh.tolist() == [150_000.0, 40_000.0, 78_000.0]
    # 5 office days: u = 1, the occupancy-driven part grows by 1/0.6 (not capped):
    # electricity × (0.5 + 0.5/0.6), heating × (0.9 + 0.1/0.6)
    five = _today(toy_org, 5.0, 0.6)
    assert five.electricity_kwh == pytest.approx(AREA * I_ELEC * (0.5 + 0.5 / 0.6))
    assert five.heating_kwh == pytest.approx(AREA * I_HEAT * (0.9 + 0.1 / 0.6))
    # and the accounting uses it: London (gas heating) at 3 days
    fp = account(
        toy_org,
        Policy(intensity_reference_utilisation=0.6),
        current_plan(toy_org),
    )
    assert fp.sites.electricity_kwh[0] == pytest.approx(100_000.0, rel=1e-12)
    assert fp.sites.heating_kwh[0] == pytest.approx(150_000.0, rel=1e-12)


def test_reference_utilisation_one_keeps_todays_numbers(toy_org):
    # full use (the default): 3 days → electricity × 0.8, heating × 0.96 (as before the field)
    for use in (_today(toy_org, 3.0), _today(toy_org, 3.0, 1.0)):
        assert use.electricity_kwh == pytest.approx(AREA * I_ELEC * 0.8, rel=1e-12)
        assert use.heating_kwh == pytest.approx(AREA * I_HEAT * 0.96, rel=1e-12)
    default = account(toy_org, Policy(), current_plan(toy_org))
    explicit = account(
        toy_org, Policy(intensity_reference_utilisation=1.0), current_plan(toy_org)
    )
    assert explicit.total_kgco2e == default.total_kgco2e


def test_hubs_keep_their_design_intensities_at_full_use(toy_org):
    # a hub's intensity is the policy's design value at one attendee per desk-day: u_ref = 1 for hubs
    metered = Policy(intensity_reference_utilisation=0.6)
    plan = nearest_plan(toy_org, metered, A_AND_C)
    hubs = account(toy_org, metered, plan)
    assert hubs.total_kgco2e == account(toy_org, Policy(), plan).total_kgco2e
    # and the optimiser's cost still equals the accounting's on that plan (4 days, no rounding)
    policy = Policy(
        office_days_per_week=4.0, peak_factor=1.0, intensity_reference_utilisation=0.6
    )
    plan = nearest_plan(toy_org, policy, A_AND_C)
    fp = account(toy_org, policy, plan)
    by_cat = fp.by_category()
    linear = fp.total_kgco2e - by_cat[CAT_HOMEWORKING] - by_cat[CAT_BUSINESS_TRAVEL]
    c = hub_costs(toy_org, policy, FS, keep_offices_whole=False)
    assert _optimiser_cost(toy_org, policy, plan, c) == pytest.approx(linear, rel=1e-12)


def test_todays_energy_formulas_with_a_reference_utilisation(toy_org):
    from test_ghg_reporting import _evaluate

    policy = Policy(office_days_per_week=2.5, intensity_reference_utilisation=0.7)
    staff = np.array([10.0, 3.0, 9.0])  # B half empty, C over its 6 desks
    use = building_use(toy_org, policy, np.ones(3, bool), staff, True, DEFAULT_SHARES)
    s = toy_org.sites
    for j in range(3):
        got = _evaluate(
            ENERGY_FORMULAS,
            {
                "D_office": policy.office_days_per_year,
                "W": policy.working_days_per_year,
                "u_ref_j": 0.7,
                "s_j": staff[j],
                "need_j": float(s.desks[j]),
                "max_desks_j": float(s.desks[j]),
                "area_j": float(s.floor_area_m2[j]),
                "I_elec_j": float(s.electricity_kwh_per_m2[j]),
                "I_heat_j": float(s.heating_kwh_per_m2[j]),
                "φ_elec": 0.5,
                "φ_heat": 0.1,
            },
        )
        assert use.electricity_kwh[j] == pytest.approx(got["elec_j"], rel=1e-12)
        assert use.heating_kwh[j] == pytest.approx(got["heat_j"], rel=1e-12)
    # London: u = 0.5, electricity 1000 m² × 100 × (0.5 + 0.5 · 0.5/0.7)
    assert use.electricity_kwh[0] == pytest.approx(100_000 * (0.5 + 0.25 / 0.7))


@pytest.mark.parametrize("bad", [0, 0.0, -0.2, 1.01, 2])
def test_a_reference_utilisation_outside_its_range_is_an_error_naming_it(bad):
    with pytest.raises(InputError) as err:
        Policy.from_mapping(
            {"intensity_reference_utilisation": bad}, "baseline.toml [policy]"
        )
    text = str(err.value)
    assert "intensity_reference_utilisation" in text
    assert "baseline.toml" in text
    assert "0.01 to 1" in text


def test_the_attribution_reproduces_a_scenario_against_metered_intensities(toy_org):
    # today's intensities metered at 3 days (u = 0.6); the scenario consolidates into London and
    # Cambridge, whose hubs run at the policy's design intensities at full use
    policy = Policy(intensity_reference_utilisation=0.6)
    plan = nearest_plan(toy_org, policy, A_AND_C)
    base_fp = account(toy_org, policy, current_plan(toy_org))
    scen_fp = account(toy_org, policy, plan)
    att = attribute_change(
        toy_org, policy, policy, plan, baseline=base_fp, scenario=scen_fp
    )
    assert sum(e.kgco2e for e in att.effects) == pytest.approx(
        scen_fp.total_kgco2e - base_fp.total_kgco2e, rel=1e-12
    )
    building = next(e for e in att.effects if e.key == BUILDING)
    assert "metered at 0.6 desk utilisation" in building.detail
