"""Property tests (hypothesis) of the accounting's invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import shuffled
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from footprint.accounting import account, current_plan, nearest_plan
from footprint.accounting.result import CAT_COMMUTING, CAT_ELECTRICITY, CAT_HEATING
from footprint.inputs import Organisation, Policy, Sites, StaffGroups
from footprint.inputs.modes import MODE_IDS

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def organisations(draw, single_fuel: bool = False):
    m = draw(st.integers(2, 6))
    n = draw(st.integers(1, 12))
    lat = draw(st.lists(st.floats(50, 58), min_size=m, max_size=m))
    lon = draw(st.lists(st.floats(-6, 1.5), min_size=m, max_size=m))
    sites = Sites.from_columns({
        "site_id": [f"S{j}" for j in range(m)],
        "lat": lat, "lon": lon,
        "headcount": draw(st.lists(st.integers(0, 500), min_size=m, max_size=m)),
        "floor_area_m2": draw(st.lists(st.floats(50, 20000), min_size=m, max_size=m)),
        "heating_fuel": (
            [draw(st.sampled_from(["gas", "electric", "district"]))] * m
            if single_fuel
            else draw(st.lists(st.sampled_from(["gas", "electric", "district"]), min_size=m, max_size=m))
        ),
        "max_desks": [100_000] * m,
    })
    staff = StaffGroups.from_columns({
        "home_lat": draw(st.lists(st.floats(50, 58), min_size=n, max_size=n)),
        "home_lon": draw(st.lists(st.floats(-6, 1.5), min_size=n, max_size=n)),
        "count": draw(st.lists(st.floats(0.5, 200), min_size=n, max_size=n)),
        "current_site_id": draw(st.lists(st.sampled_from([f"S{j}" for j in range(m)]), min_size=n, max_size=n)),
        "commute_mode": draw(st.lists(st.sampled_from(MODE_IDS), min_size=n, max_size=n)),
    })
    return Organisation("random", sites, staff)


policies = st.builds(
    Policy,
    office_days_per_week=st.floats(0, 5),
    video_share=st.floats(0, 1),
    desk_sharing_ratio=st.floats(0.3, 1.5),
    m2_per_desk=st.floats(6, 20),
    radiative_forcing=st.booleans(),
    well_to_tank=st.booleans(),
    factor_set=st.sampled_from(["desnz-2024", "desnz-2025", "desnz-2026", "epa-2025"]),
)


@SETTINGS
@given(organisations(), policies, st.data())
def test_no_negative_emissions(org, policy, data):
    open_sites = np.array(data.draw(st.lists(st.booleans(), min_size=len(org.sites), max_size=len(org.sites))))
    assume(open_sites.any())
    for plan in (current_plan(org), nearest_plan(org, policy, open_sites)):
        fp = account(org, policy, plan)
        assert all(line.kgco2e >= 0 for line in fp.lines)
        assert all(line.activity >= 0 for line in fp.lines)
        assert fp.total_kgco2e == pytest.approx(sum(fp.by_category().values()))


@SETTINGS
@given(organisations(), policies, st.floats(0, 4.5), st.floats(0.01, 0.5))
def test_commuting_grows_with_office_days(org, policy, days, more):
    low = dataclasses.replace(policy, office_days_per_week=days)
    high = dataclasses.replace(policy, office_days_per_week=min(5.0, days + more))
    plan = current_plan(org)
    c_low = account(org, low, plan).by_category()[CAT_COMMUTING]
    c_high = account(org, high, plan).by_category()[CAT_COMMUTING]
    assert c_high >= c_low - 1e-9


@SETTINGS
@given(organisations(single_fuel=True), policies, st.data())
def test_one_hub_never_adds_building_emissions_at_equal_area_per_desk(org, policy, data):
    """Hubs sized at the same m² per desk: closing all but one cannot add building emissions."""
    m = len(org.sites)
    all_open = nearest_plan(org, policy, np.ones(m, dtype=bool))
    keep = data.draw(st.integers(0, m - 1))
    one = np.zeros(m, dtype=bool)
    one[keep] = True
    single = nearest_plan(org, policy, one)
    # hubs use the policy's energy intensities and one heating fuel: equal energy per m²

    def buildings(plan):
        by = account(org, policy, plan).by_category()
        return by[CAT_HEATING] + by[CAT_ELECTRICITY]

    assert buildings(single) <= buildings(all_open) + 1e-6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_results_invariant_to_row_order(demo_org, seed):
    policy = Policy()
    other = shuffled(demo_org, seed)
    a = account(demo_org, policy, current_plan(demo_org))
    b = account(other, policy, current_plan(other))
    assert b.total_kgco2e == pytest.approx(a.total_kgco2e, rel=1e-12)
    for x, y in zip(a.lines, b.lines, strict=True):
        assert (x.item, x.kgco2e) == (y.item, pytest.approx(y.kgco2e, rel=1e-12))
    assert b.commute.median_km == pytest.approx(a.commute.median_km)
    open_sites = np.zeros(len(demo_org.sites), dtype=bool)
    open_sites[np.argsort(-demo_org.sites.headcount)[:20]] = True
    ha = account(demo_org, policy, nearest_plan(demo_org, policy, open_sites))
    hb = account(other, policy, nearest_plan(other, policy, open_sites))
    assert hb.total_kgco2e == pytest.approx(ha.total_kgco2e, rel=1e-12)
