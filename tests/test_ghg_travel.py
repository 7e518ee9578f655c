"""The right factor for each trip (issue 14 items 5-10), checked by hand.

Factor values are DESNZ 2025 typed by hand from the reference note (§1) and the
2025 full set; distances come from ``geopy.distance.geodesic``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TOY_SITES, toy_collaboration
from geopy.distance import geodesic

from footprint.accounting import account, current_plan
from footprint.accounting.result import CAT_COMMUTING
from footprint.inputs import Organisation, Policy, Sites, StaffGroups

POLICY = Policy(office_days_per_week=3, video_share=0.5)
OFFICE_DAYS = 225 * 3 / 5
BUS_LONDON, BUS_NOT_LONDON = 0.06875, 0.12525  # DESNZ 2025, kg CO2e per passenger-km


def line(fp, category: str, item: str) -> float:
    return sum(x.kgco2e for x in fp.lines if x.category == category and x.item == item)


def org_with(staff: dict, **site_columns: list) -> Organisation:
    return Organisation(
        "toy",
        Sites.from_columns({**TOY_SITES, **site_columns}, source="toy sites"),
        StaffGroups.from_columns(staff, source="toy staff"),
        toy_collaboration(),
    )


# --- 9. bus: London or local, by the office's location ---------------------------------------
def test_bus_factor_follows_the_office_location():
    staff = {
        "home_lat": [51.55, 51.42, 52.25],
        "home_lon": [-0.10, -0.95, 0.15],
        "count": [3.0, 2.0, 1.0],
        "current_site_id": ["A", "B", "C"],
        "commute_mode": ["bus", "bus", "rail"],
    }
    org = org_with(staff)
    fp = account(org, POLICY, current_plan(org))
    d_a = geodesic((51.55, -0.10), (51.5074, -0.1278)).km
    d_b = geodesic((51.42, -0.95), (51.4543, -0.9781)).km
    assert line(fp, CAT_COMMUTING, "Bus (London)") == pytest.approx(
        3 * OFFICE_DAYS * 2 * d_a * 1.5 * BUS_LONDON, rel=1e-4
    )
    assert line(fp, CAT_COMMUTING, "Bus (outside London)") == pytest.approx(
        2 * OFFICE_DAYS * 2 * d_b * 1.5 * BUS_NOT_LONDON, rel=1e-4
    )
    assert (
        line(fp, CAT_COMMUTING, "Bus") == 0.0
    )  # the average local bus is no longer used
    names = fp.factor_by_name()
    assert (
        names["bus_london"].value == BUS_LONDON
        and names["bus_local_not_london"].value == BUS_NOT_LONDON
    )
    assert "bus_local" not in names


def test_greater_london_outline():
    from footprint.accounting.places import in_greater_london

    inside = {
        "Charing Cross": (51.5074, -0.1278),
        "Heathrow": (51.47, -0.454),
        "Croydon": (51.372, -0.10),
        "Romford": (51.575, 0.183),
        "Uxbridge": (51.546, -0.479),
        "Orpington": (51.375, 0.10),
    }
    outside = {
        "Watford": (51.656, -0.39),
        "Dartford": (51.446, 0.219),
        "Epsom": (51.336, -0.27),
        "Slough": (51.51, -0.59),
        "Reading": (51.454, -0.978),
        "Cheshunt": (51.70, -0.03),
    }
    lat, lon = np.array([*inside.values(), *outside.values()]).T
    assert in_greater_london(lat, lon).tolist() == [True] * len(inside) + [False] * len(
        outside
    )


# --- 5-8. business travel: mode, haul, class, hotels, well-to-tank ----------------------------
from footprint.accounting.result import CAT_BUSINESS_TRAVEL  # noqa: E402
from footprint.inputs import Collaboration  # noqa: E402

PLACES = {  # id: (lat, lon, country)
    "LON": (51.5074, -0.1278, "GB"),
    "RDG": (51.4543, -0.9781, "GB"),
    "MAN": (53.4808, -2.2426, "GB"),
    "BFS": (54.5973, -5.9301, "GB"),
    "DUB": (53.3498, -6.2603, "IE"),
    "PAR": (48.8566, 2.3522, "FR"),
    "MAD": (40.4168, -3.7038, "ES"),
    "MIL": (45.4642, 9.1900, "IT"),
    "NYC": (40.7128, -74.0060, "US"),
}


def travel_org(
    a: str, b: str, meetings: float = 10, attendees: float = 1, hours: float = 2
) -> Organisation:
    ids = (a, b)
    sites = Sites.from_columns(
        {
            "site_id": list(ids),
            "lat": [PLACES[i][0] for i in ids],
            "lon": [PLACES[i][1] for i in ids],
            "headcount": [1, 1],
            "country": [PLACES[i][2] for i in ids],
        },
        source="sites",
    )
    staff = StaffGroups.from_columns(
        {
            "home_lat": [PLACES[i][0] + 0.01 for i in ids],
            "home_lon": [PLACES[i][1] for i in ids],
            "count": [1.0, 1.0],
            "current_site_id": list(ids),
            "commute_mode": ["walk", "walk"],
        },
        source="staff",
    )
    rows = [
        {
            "site_a": a,
            "site_b": b,
            "meetings_per_year": meetings,
            "attendees": attendees,
            "hours": hours,
        }
    ]
    return Organisation("trip", sites, staff, Collaboration.from_table(ids, rows))


def km(a: str, b: str) -> float:
    return geodesic(PLACES[a][:2], PLACES[b][:2]).km


def travel(fp) -> dict[str, float]:
    return {
        x.item: x.kgco2e
        for x in fp.lines
        if x.category == CAT_BUSINESS_TRAVEL and x.kgco2e
    }


TRIPS = 10 * 0.5  # 10 person-trips a year, half by video


@pytest.mark.parametrize(
    ("a", "b", "item", "factor", "circuity"),
    [
        (
            "LON",
            "DUB",
            "Air (with radiative forcing)",
            0.12786,
            1.0,
        ),  # 464 km, but the Irish Sea: short-haul air
        (
            "LON",
            "BFS",
            "Air (with radiative forcing)",
            0.22928,
            1.0,
        ),  # Belfast: UK domestic flight, not rail
        (
            "PAR",
            "MAD",
            "Air (with radiative forcing)",
            0.14253,
            1.0,
        ),  # two non-UK airports: international
        (
            "LON",
            "PAR",
            "International rail",
            0.00446,
            1.2,
        ),  # through the tunnel, across a border
        ("LON", "MAN", "National rail", 0.03546, 1.2),
    ],
)
def test_business_trip_mode_and_haul(a, b, item, factor, circuity):
    org = travel_org(a, b)
    fp = account(org, POLICY, current_plan(org))
    expected = TRIPS * 2 * km(a, b) * circuity * factor
    assert travel(fp)[item] == pytest.approx(expected, rel=1e-4)


def test_london_dublin_used_to_go_by_rail():
    assert (
        km("LON", "DUB") < POLICY.business_rail_max_km
    )  # the old straight-line rule chose rail


def test_travellers_to_one_meeting_share_a_car():
    org = travel_org("LON", "RDG", meetings=10, attendees=3)  # 30 person-trips, 10 cars
    fp = account(
        org, Policy(video_share=0.5, business_car_max_km=100), current_plan(org)
    )
    car = next(x for x in fp.lines if x.item == "Car (unknown fuel)")
    assert car.activity_unit == "vehicle-km"
    assert car.kgco2e == pytest.approx(
        10 * 0.5 * 2 * km("LON", "RDG") * 1.3 * 0.16725, rel=1e-4
    )


@pytest.mark.parametrize(
    ("cabin", "factor"),
    [
        ("average", 0.15282),
        ("economy", 0.11704),
        ("premium_economy", 0.18726),
        ("business", 0.33940),
        ("first", 0.46814),
    ],
)
def test_cabin_class_policy(cabin, factor):
    org = travel_org("LON", "NYC")
    fp = account(org, Policy(video_share=0.5, cabin_class=cabin), current_plan(org))
    assert travel(fp)["Air (with radiative forcing)"] == pytest.approx(
        TRIPS * 2 * km("LON", "NYC") * factor, rel=1e-4
    )


def test_cabin_class_without_a_published_factor_says_so():
    org = travel_org("LON", "MAN", meetings=10)
    fp = account(
        org,
        Policy(video_share=0.5, cabin_class="first", business_rail_max_km=100),
        current_plan(org),
    )
    assert travel(fp)["Air (with radiative forcing)"] == pytest.approx(
        TRIPS * 2 * km("LON", "MAN") * 0.22928, rel=1e-4
    )
    assert any("no first factor for air, domestic" in n for n in fp.notes)


@pytest.mark.parametrize(
    ("a", "b", "per_night"),
    [
        ("LON", "MIL", 14.3),
        ("MAN", "LON", 11.5),
        ("LON", "MAN", 10.4),
        ("LON", "NYC", 16.1),
    ],
)
def test_hotel_night_at_the_destination(a, b, per_night):
    org = travel_org(a, b)
    fp = account(org, POLICY, current_plan(org))
    assert km(a, b) > POLICY.hotel_min_km
    assert travel(fp)["Hotel nights"] == pytest.approx(TRIPS * per_night)


def test_hotels_cover_every_desnz_country():
    from footprint.factors import hotel_night

    valued = [
        "GB",
        "US",
        "IN",
        "CN",
        "SG",
        "DE",
        "FR",
        "NL",
        "ES",
        "AE",
        "JP",
        "AU",
        "BE",
        "BR",
        "CA",
        "CL",
        "CO",
        "CR",
        "EG",
        "HK",
        "ID",
        "IT",
        "JO",
        "KR",
        "MY",
        "MV",
        "MX",
        "OM",
        "PH",
        "PT",
        "QA",
        "RU",
        "SA",
        "ZA",
        "CH",
        "TH",
        "TR",
        "VN",
    ]
    assert len(valued) == 38  # 37 besides the UK, and London apart
    assert all(hotel_night(c) is not None for c in valued)
    assert hotel_night("GB", "London").value == 11.5 and hotel_night("IT").value == 14.3
    assert (
        hotel_night("PL") is None
    )  # listed by DESNZ without a value: no factor, not 0


def test_well_to_tank_factors_are_listed():
    from footprint.factors import load_factor_set

    fs = load_factor_set("desnz-2025")
    expected = {
        "wtt_car_hybrid": 0.03315,
        "wtt_car_phev": 0.02934,
        "wtt_light_rail": 0.00749,
        "wtt_bus_london": 0.01821,
        "wtt_bus_local_not_london": 0.03174,
        "wtt_air_international": 0.02162,
        "wtt_rail_international": 0.00117,
    }
    assert {k: fs.value(k) for k in expected} == expected
    org = travel_org("PAR", "MAD")
    fp = account(org, Policy(video_share=0.5, well_to_tank=True), current_plan(org))
    wtt = next(x for x in fp.lines if x.item == "Well-to-tank of business travel")
    assert wtt.kgco2e == pytest.approx(TRIPS * 2 * km("PAR", "MAD") * 0.02162, rel=1e-4)
    assert not any("No well-to-tank factor" in n and "air" in n for n in fp.notes)


# --- 10. sites outside the set's country -----------------------------------------------------
def test_sites_abroad_name_the_uk_values_that_stand_in():
    staff = {
        "home_lat": [48.87, 51.55],
        "home_lon": [2.36, -0.10],
        "count": [4.0, 1.0],
        "current_site_id": ["PAR", "LON"],
        "commute_mode": ["rail", "rail"],
    }
    sites = Sites.from_columns(
        {
            "site_id": ["PAR", "LON"],
            "lat": [48.8566, 51.5074],
            "lon": [2.3522, -0.1278],
            "headcount": [4, 1],
            "country": ["FR", "GB"],
        },
        source="sites",
    )
    org = Organisation(
        "abroad", sites, StaffGroups.from_columns(staff, source="staff"), None
    )
    fp = account(org, POLICY, current_plan(org))
    note = next(n for n in fp.notes if "sites in FR" in n)
    assert note.startswith("4 staff at sites in FR") and "GB values stand in" in note
    assert "rail_national 0.03546" in note and "homeworking 0.33378" in note
    grid = next(n for n in fp.notes if n.startswith("Sites in FR"))
    assert "0.04048" in grid and "no T&D factor for FR" in grid


def test_district_heat_distribution_and_wtt():
    from footprint.accounting.result import CAT_ENERGY_UPSTREAM

    org = org_with(
        {
            "home_lat": [51.55],
            "home_lon": [-0.10],
            "count": [1.0],
            "current_site_id": ["A"],
            "commute_mode": ["walk"],
        },
        heating_fuel=["district", "gas", "gas"],
    )
    fp = account(org, Policy(video_share=0.5, well_to_tank=True), current_plan(org))
    # A: 1,000 m² × 150 kWh/m², a tenth of it following attendance (issue 14 item 11)
    heat_kwh = float(fp.sites.heating_kwh[0])
    assert 0.9 * 1000 * 150 <= heat_kwh <= 1000 * 150
    loss = next(x for x in fp.lines if x.item == "District heat distribution losses")
    assert loss.category == CAT_ENERGY_UPSTREAM and loss.kgco2e == pytest.approx(
        heat_kwh * 0.00945
    )
    names = fp.factor_by_name()
    assert (
        names["wtt_heat_steam"].value == 0.03341
        and names["wtt_heat_steam_distribution"].value == 0.00176
    )
    assert not any("wtt_heat_steam" in n for n in fp.notes)
