"""Validation of inputs: every invalid value named by field, row and allowed range."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import TOY_SITES, TOY_STAFF

from footprint.errors import InputError
from footprint.inputs import Organisation, Policy, Sites, StaffGroups


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_sites_report_every_bad_value_with_row_and_field():
    bad = dict(TOY_SITES, lat=[51.5, 95.0, 52.2], headcount=[10, -4, 6.5], heating_fuel=["gas", "coal", "gas"])
    with pytest.raises(InputError) as e:
        Sites.from_columns(bad, source="offices.csv")
    got = messages(e)
    assert "offices.csv, row 2, field 'lat': is out of range; expected a number from -90 to 90 degrees" in got
    assert "offices.csv, row 2, field 'headcount': is out of range; expected a number from 0 to 1,000,000 people" in got
    assert "offices.csv, row 3, field 'headcount': must be a whole number" in got
    assert "offices.csv, row 2, field 'heating_fuel': must be one of: gas, electric, district" in got


def test_sites_duplicates_missing_columns_and_user_row_numbers():
    with pytest.raises(InputError) as e:
        Sites.from_columns(dict(TOY_SITES, site_id=["A", "B", "A"]), source="offices.csv", row_numbers=[2, 3, 4])
    assert messages(e) == [
        "offices.csv, row 4, field 'site_id': 'A' is a duplicate of row 2; identifiers must be unique"
    ]
    cols = {k: v for k, v in TOY_SITES.items() if k != "lon"}
    with pytest.raises(InputError) as e:
        Sites.from_columns(cols, source="offices.csv")
    assert messages(e) == ["offices.csv, field 'lon': required column 'lon' is missing"]


def test_sites_defaults_follow_cibse_tm46():
    s = Sites.from_columns({"site_id": ["X"], "lat": [51.0], "lon": [0.0], "headcount": [100]})
    assert s.electricity_kwh_per_m2[0] == 95.0 and s.heating_kwh_per_m2[0] == 120.0
    assert s.desks[0] == 100 and s.floor_area_m2[0] == 1200.0  # 12 m² per desk
    assert s.max_desks[0] == 150  # floor area / 8 m²
    with pytest.raises(ValueError):
        s.lat[0] = 10.0  # inputs are immutable


def test_staff_validation():
    bad = dict(TOY_STAFF, count=[10.0, 0.0, 5.0, 1.0], commute_mode=["rail", "car", "horse", "walk"])
    with pytest.raises(InputError) as e:
        StaffGroups.from_columns(bad, source="staff.csv")
    assert messages(e) == [
        "staff.csv, row 2, field 'count': is out of range; expected a number from 0 (exclusive) to 1,000,000 people",
        "staff.csv, row 3, field 'commute_mode': must be one of: car_petrol, car_diesel, car_hybrid, car_phev, "
        "car_bev, car, motorbike, taxi, rail, underground, tram, bus, coach, walk, cycle",
    ]


def test_staff_at_unknown_office_is_reported_with_its_row():
    sites = Sites.from_columns(TOY_SITES)
    staff = StaffGroups.from_columns(dict(TOY_STAFF, current_site_id=["A", "B", "Z", "C"]))
    with pytest.raises(InputError) as e:
        Organisation("x", sites, staff)
    assert messages(e) == [
        "staff, row 3, field 'current_site_id': current office 'Z' is not in the sites table; "
        "add it there or correct the id"
    ]


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("office_days_per_week", 6, "6 is out of range; allowed 0 to 5 [days/week]"),
        ("video_share", -0.1, "-0.1 is out of range; allowed 0 to 1 [share]"),
        ("radiative_forcing", "yes", "must be true or false, got 'yes'"),
        ("beyond_limit", "fire", "must be one of remote, commute, forbid, got 'fire'"),
        ("m2_per_desk", "12", "must be a number [m²/desk], got '12'"),
    ],
)
def test_policy_rejects_with_field_and_range(field, value, expected):
    with pytest.raises(InputError) as e:
        Policy(**{field: value})
    assert messages(e) == [f"policy, field '{field}': {expected}"]


def test_policy_unknown_key_lists_allowed():
    with pytest.raises(InputError) as e:
        Policy.from_mapping({"office_day_per_week": 2})
    msg = messages(e)[0]
    assert "field 'office_day_per_week': unknown key; allowed keys: " in msg
    allowed = msg.split("allowed keys: ", 1)[1].split(", ")
    assert "office_days_per_week" in allowed and allowed == sorted(allowed)


def test_policy_derived_days():
    p = Policy(office_days_per_week=2, working_days_per_year=220)
    assert p.office_days_per_year == 88.0 and p.home_days_per_year == 132.0
    assert dataclasses.replace(p, office_days_per_week=5).home_days_per_year == 0.0


def test_organisation_caches_distances(toy_org):
    d = toy_org.staff_distance_km
    assert d.shape == (4, 3) and d is toy_org.staff_distance_km
    np.testing.assert_allclose(toy_org.site_distance_km, toy_org.site_distance_km.T)
    assert toy_org.headcount_by_site.tolist() == [10.0, 4.0, 6.0]
