"""Home aggregation bias (issue 14, item 13): a synthetic city with known exact homes.

Homes are aggregated to ~5.5 km grid cells for privacy. Measured from the cell
centre, a 2 km median commute comes out about 27 % too long and walkers or
cyclists whose cell centre is beyond their mode's range are switched to the
bus or the car. The importer now keeps each group's mean exact distance to its
office (measured before aggregating), and every distance to a site is bounded by
it (triangle inequality); these tests compare the aggregated model with the
same people modelled one by one at their exact homes.
"""

from __future__ import annotations

import numpy as np
import pytest

from footprint.accounting import account, current_plan
from footprint.accounting.commute import commute_legs
from footprint.accounting.plan import Plan
from footprint.accounting.result import CAT_COMMUTING
from footprint.geo.distance import distance_km
from footprint.hubs.costs import hub_costs
from footprint.imports.organisation import site_locations
from footprint.imports.staff import aggregate_staff
from footprint.inputs import MODES, Organisation, Policy, Sites, StaffGroups

KM_PER_DEG_LAT = 111.2
N_TOWNS = 8  # towns 55 km apart, each with an office at a random place in its grid cell
EAST_KM = 3.0  # and a second office this far east of it
HQ = (
    52.001,
    -1.039,
)  # the head office of the hand-computed cases, near a grid cell's corner
HQ_INDEX = 2 * N_TOWNS
WALK_CYCLE = np.array([m.id in ("walk", "cycle") for m in MODES])
POLICY = Policy()


def _east_lon(lat: np.ndarray, lon: np.ndarray, km: float) -> np.ndarray:
    return lon + km / (KM_PER_DEG_LAT * np.cos(np.radians(lat)))


def _offices(seed: int = 14) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lat = 51.0 + 0.5 * np.arange(N_TOWNS) + 0.05 * rng.uniform(0, 1, N_TOWNS)
    lon = -1.0 + 0.08 * rng.uniform(0, 1, N_TOWNS)
    return lat, lon


def _sites() -> Sites:
    lat, lon = _offices()
    k = N_TOWNS
    return Sites.from_columns(
        {
            "site_id": [f"O{i}" for i in range(k)]
            + [f"E{i}" for i in range(k)]
            + ["HQ"],
            "name": [f"Office {i}" for i in range(k)]
            + [f"East office {i}" for i in range(k)]
            + ["Head office"],
            "lat": [*lat, *lat, HQ[0]],
            "lon": [*lon, *_east_lon(lat, lon, EAST_KM), HQ[1]],
            "headcount": [1000] * (2 * k + 1),
            "desks": [1000] * (2 * k + 1),
            "floor_area_m2": [10000.0] * (2 * k + 1),
            "electricity_kwh_per_m2": [100.0] * (2 * k + 1),
            "heating_kwh_per_m2": [120.0] * (2 * k + 1),
            "heating_fuel": ["gas"] * (2 * k + 1),
            "max_desks": [5000] * (2 * k + 1),
        },
        source="synthetic sites",
    )


def synthetic_city(
    per_town: int = 600, median_km: float = 2.0, seed: int = 14
) -> dict[str, np.ndarray]:
    """People around each office: lognormal distance (median ``median_km``, σ 0.85), uniform bearing.

    Modes follow distance: walk up to 2.5 km, cycle up to 8 km, else a petrol car,
    so every walker and cyclist is within their mode's range at their exact home.
    """
    rng = np.random.default_rng(seed)
    n = per_town * N_TOWNS
    office = np.repeat(np.arange(N_TOWNS), per_town)
    olat, olon = (v[office] for v in _offices())
    d = median_km * np.exp(0.85 * rng.standard_normal(n))
    bearing = rng.uniform(0.0, 2 * np.pi, n)
    lat = olat + d * np.cos(bearing) / KM_PER_DEG_LAT
    lon = olon + d * np.sin(bearing) / (KM_PER_DEG_LAT * np.cos(np.radians(olat)))
    exact = distance_km(lat, lon, olat, olon)
    mode = np.where(
        exact <= 2.5, "walk", np.where(exact <= 8.0, "cycle", "car_petrol")
    ).astype(object)
    return {
        "lat": lat,
        "lon": lon,
        "mode": mode,
        "site": np.array([f"O{i}" for i in office], dtype=object),
    }


def per_person(city: dict[str, np.ndarray]) -> Organisation:
    """The truth: one group per person at their exact home."""
    staff = StaffGroups.from_columns(
        {
            "home_lat": city["lat"],
            "home_lon": city["lon"],
            "current_site_id": city["site"],
            "commute_mode": city["mode"],
        },
        source="people",
    )
    return Organisation("truth", _sites(), staff)


def aggregated(city: dict[str, np.ndarray]) -> Organisation:
    """What Footprint keeps: groups by ~5.5 km home cell, office and mode."""
    n = city["lat"].size
    staff = aggregate_staff(
        city["lat"],
        city["lon"],
        np.ones(n),
        city["site"],
        city["mode"],
        site_locations=site_locations(_sites()),
    )
    return Organisation("aggregated", _sites(), staff)


def mean_km(org: Organisation, shift: int = 0) -> float:
    """People's mean straight-line distance to their office (``shift`` N_TOWNS: its east neighbour). [km]"""
    w = org.staff.count
    return float(np.sum(w * org.group_distance_km(org.group_site + shift)) / w.sum())


def walk_cycle_share(org: Organisation, shift: int = 0) -> float:
    legs = commute_legs(org, POLICY, org.group_distance_km(org.group_site + shift))
    return float(np.sum(org.staff.count * WALK_CYCLE[legs.mode]) / org.staff.total)


def moved(org: Organisation, shift: int) -> Plan:
    return Plan(np.ones(len(org.sites), bool), org.group_site + shift, False, "moved")


def commute_kg(org: Organisation, plan: Plan) -> float:
    return sum(
        x.kgco2e
        for x in account(org, POLICY, plan).lines
        if x.category == CAT_COMMUTING
    )


@pytest.fixture(scope="module")
def city():
    c = synthetic_city()
    return per_person(c), aggregated(c)


def test_groups_keep_no_homes_and_few_rows(city):
    truth, agg = city
    assert len(agg.staff) < len(truth.staff) / 10  # really aggregated
    cell_centres = np.round((np.floor(agg.staff.home_lat / 0.05) + 0.5) * 0.05, 5)
    assert np.array_equal(
        agg.staff.home_lat, cell_centres
    )  # homes are cell centres, not people's
    assert np.all(np.isfinite(agg.staff.office_distance_km))


def test_distance_to_current_office_is_the_people_s_mean(city):
    truth, agg = city
    true_km = mean_km(truth, 0)
    assert 2.5 < true_km < 3.3  # lognormal: 2 × exp(0.85²/2) ≈ 2.87 km
    # from the cell centres alone it was +25 % (3.6 km); now within the 0.05 km rounding
    assert mean_km(agg, 0) == pytest.approx(true_km, rel=0.01)


def test_walkers_and_cyclists_keep_their_mode_at_their_office(city):
    truth, agg = city
    assert walk_cycle_share(truth) == pytest.approx(
        0.95, abs=0.02
    )  # everyone within 8 km
    # from the cell centres, 30 % of the walkers and cyclists were sent to the bus or the car
    assert walk_cycle_share(agg) == pytest.approx(walk_cycle_share(truth), abs=0.01)


def test_commute_emissions_today_match_the_people(city):
    truth, agg = city
    # from the cell centres this was 32 % high (walkers on the bus, cyclists in cars, longer drives)
    assert commute_kg(agg, current_plan(agg)) == pytest.approx(
        commute_kg(truth, current_plan(truth)), rel=0.03
    )


def test_a_nearby_office_is_closer_to_the_truth(city):
    truth, agg = city
    true_km, got = mean_km(truth, N_TOWNS), mean_km(agg, N_TOWNS)
    centre = StaffGroups.from_columns(
        {k: v for k, v in agg.staff.to_columns().items() if k != "office_distance_km"}
    )
    old = mean_km(Organisation("cell centres", _sites(), centre), N_TOWNS)
    assert abs(got - true_km) < 0.6 * abs(old - true_km)
    assert got == pytest.approx(true_km, rel=0.06)


def test_optimiser_costs_use_the_accounting_distance(city):
    from footprint.factors import load_factor_set
    from footprint.hubs.costs import building_kg_per_person

    _, agg = city
    factors = load_factor_set(POLICY.factor_set)
    costs = hub_costs(agg, POLICY, factors, keep_offices_whole=False)
    assert costs.candidates.tolist() == list(range(len(agg.sites)))
    own = agg.group_site
    commute = (
        costs.cost[np.arange(len(own)), own]
        - agg.staff.count * building_kg_per_person(agg, POLICY, factors)[own]
    )
    fp = account(agg, POLICY, current_plan(agg), factors)
    lines = [
        x
        for x in fp.lines
        if x.category == CAT_COMMUTING and not x.item.startswith("Well-to-tank")
    ]
    assert {x.item: x.kgco2e for x in lines if x.item != "Car (petrol)"} == {
        "Walk": 0.0,
        "Cycle": 0.0,
    }
    assert commute.sum() == pytest.approx(sum(x.kgco2e for x in lines), rel=1e-9)


def test_hand_computed_bounds():
    from footprint.geo.distance import group_distance_bound_km

    # group mean distance to its office m, that office b km from the site, cell centre r km from the site
    r = np.array([5.0, 2.5, 0.5, 7.0, 3.0])
    m = np.array([1.0, 1.0, 1.0, 1.0, np.nan])
    b = np.array([2.0, 2.0, 2.0, 0.0, 2.0])
    # 5 → at most m + b = 3; 2.5 within [1, 3]; 0.5 → at least |m − b| = 1; b = 0 → m; unknown m → r
    assert group_distance_bound_km(r, m, b).tolist() == [3.0, 2.5, 1.0, 1.0, 3.0]


def test_two_people_hand_computed():
    # two walkers due north of HQ, 1 km and 2.5 km away, share a grid cell
    lat = HQ[0] + np.array([1.0, 2.5]) / KM_PER_DEG_LAT
    lon = np.full(2, HQ[1])
    staff = aggregate_staff(
        lat,
        lon,
        np.ones(2),
        np.array(["HQ", "HQ"], object),
        np.array(["walk", "walk"], object),
        site_locations=site_locations(_sites()),
    )
    assert len(staff) == 1
    exact = distance_km(lat, lon, *HQ)
    assert exact == pytest.approx([1.0, 2.5], rel=2e-3)
    org = Organisation("two", _sites(), staff)
    hq = np.array([HQ_INDEX])
    centre_km = float(distance_km(staff.home_lat[0], staff.home_lon[0], *HQ))
    assert (
        centre_km > 3.0
    )  # the cell centre is beyond walking range: they would have been sent to the bus
    assert org.group_distance_km(hq)[0] == pytest.approx(
        1.75, abs=0.06
    )  # their mean, to 0.1 km
    assert (
        MODES[commute_legs(org, POLICY, org.group_distance_km(hq)).mode[0]].id == "walk"
    )


def test_the_column_is_optional_and_round_trips(city):
    _, agg = city
    cols = agg.staff.to_columns()
    assert "office_distance_km" in cols
    again = StaffGroups.from_columns(cols)
    assert np.array_equal(again.office_distance_km, agg.staff.office_distance_km)
    del cols["office_distance_km"]
    old = StaffGroups.from_columns(cols)
    assert np.all(
        np.isnan(old.office_distance_km)
    )  # unknown: distances from the home point, as before
    org = Organisation("old file", _sites(), old)
    d = org.group_distance_km(np.full(len(old), HQ_INDEX))
    assert np.array_equal(d, distance_km(old.home_lat, old.home_lon, *HQ))


def test_bad_office_distance_is_named():
    from footprint.errors import InputError

    cols = {
        "home_lat": [52.0, 52.1],
        "home_lon": [-1.0, -1.0],
        "current_site_id": ["HQ", "HQ"],
        "commute_mode": ["walk", "car"],
        "office_distance_km": [1.0, -2.0],
    }
    with pytest.raises(InputError) as e:
        StaffGroups.from_columns(cols, source="groups.csv")
    assert any(p.field == "office_distance_km" and p.row == 2 for p in e.value.problems)


def test_exports_written_before_the_column_still_load(city):
    from footprint.store.orgdata import organisation_from_files, organisation_to_files

    _, agg = city
    files = organisation_to_files(agg)
    header, *rows = files["staff_groups.csv"].splitlines()
    assert header.endswith(",office_distance_km")
    back = organisation_from_files(files, "export")
    assert back.staff == agg.staff
    old = [line.rsplit(",", 1)[0] for line in (header, *rows)]
    files["staff_groups.csv"] = "\n".join(old) + "\n"
    back = organisation_from_files(files, "old export")
    assert np.all(np.isnan(back.staff.office_distance_km))
    assert np.array_equal(back.staff.count, agg.staff.count)


def test_import_measures_each_person_and_keeps_a_given_group_distance(tmp_path):
    from footprint.imports import read_staff

    offices = {"HQ": HQ}
    north_1 = HQ[0] + 1.0 / KM_PER_DEG_LAT
    north_25 = HQ[0] + 2.5 / KM_PER_DEG_LAT
    people = tmp_path / "people.csv"
    people.write_text(
        "employee_id,home_lat,home_lon,current_site_id,commute_mode\n"
        f"E1,{north_1},{HQ[1]},HQ,walk\nE2,{north_25},{HQ[1]},HQ,walk\n",
        encoding="utf-8",
    )
    rep = read_staff(people, site_ids=["HQ"], site_locations=offices)
    assert rep.table.office_distance_km.tolist() == [
        pytest.approx(1.75, abs=0.06)
    ]  # their mean, to 0.1 km
    # a file of groups (e.g. Footprint's own export) keeps its groups' distance; unknown rows are measured
    groups = tmp_path / "groups.csv"
    groups.write_text(
        "home_lat,home_lon,current_site_id,commute_mode,count,office_distance_km\n"
        f"{north_1},{HQ[1]},HQ,walk,3,0.4\n{north_25},{HQ[1]},HQ,walk,1,\n",
        encoding="utf-8",
    )
    rep = read_staff(groups, site_ids=["HQ"], site_locations=offices)
    assert rep.table.office_distance_km.tolist() == [
        pytest.approx((3 * 0.4 + 2.5) / 4, abs=0.05)
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "home_lat,home_lon,current_site_id,commute_mode,office_distance_km\n"
        f"{north_1},{HQ[1]},HQ,walk,-1\n",
        encoding="utf-8",
    )
    rep = read_staff(bad, site_ids=["HQ"], site_locations=offices)
    assert [(p.row, p.field) for p in rep.problems] == [(2, "office_distance_km")]


def test_homes_known_only_as_a_town_are_not_measured(tmp_path):
    from footprint.imports import read_staff

    leeds = (53.7997, -1.5492)
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "home_location,current_site_id,commute_mode\nLS6,LDS,car\nLeeds,LDS,bus\n",
        encoding="utf-8",
    )
    rep = read_staff(staff, site_ids=["LDS"], site_locations={"LDS": leeds})
    g = rep.table
    by_mode = dict(zip(g.mode, g.office_distance_km.tolist(), strict=True))
    # the district's centre is a few km out of Leeds; the town's centre would say ~0 km for everyone in Leeds
    assert 1.0 < by_mode["car"] < 6.0
    assert np.isnan(by_mode["bus"])
