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
    return Organisation("toy", Sites.from_columns({**TOY_SITES, **site_columns}, source="toy sites"),
                        StaffGroups.from_columns(staff, source="toy staff"), toy_collaboration())


# --- 9. bus: London or local, by the office's location ---------------------------------------
def test_bus_factor_follows_the_office_location():
    staff = {"home_lat": [51.55, 51.42, 52.25], "home_lon": [-0.10, -0.95, 0.15], "count": [3.0, 2.0, 1.0],
             "current_site_id": ["A", "B", "C"], "commute_mode": ["bus", "bus", "rail"]}
    org = org_with(staff)
    fp = account(org, POLICY, current_plan(org))
    d_a = geodesic((51.55, -0.10), (51.5074, -0.1278)).km
    d_b = geodesic((51.42, -0.95), (51.4543, -0.9781)).km
    assert line(fp, CAT_COMMUTING, "Bus (London)") == pytest.approx(
        3 * OFFICE_DAYS * 2 * d_a * 1.5 * BUS_LONDON, rel=1e-4)
    assert line(fp, CAT_COMMUTING, "Bus (outside London)") == pytest.approx(
        2 * OFFICE_DAYS * 2 * d_b * 1.5 * BUS_NOT_LONDON, rel=1e-4)
    assert line(fp, CAT_COMMUTING, "Bus") == 0.0  # the average local bus is no longer used
    names = fp.factor_by_name()
    assert names["bus_london"].value == BUS_LONDON and names["bus_local_not_london"].value == BUS_NOT_LONDON
    assert "bus_local" not in names


def test_greater_london_outline():
    from footprint.accounting.places import in_greater_london

    inside = {"Charing Cross": (51.5074, -0.1278), "Heathrow": (51.47, -0.454), "Croydon": (51.372, -0.10),
              "Romford": (51.575, 0.183), "Uxbridge": (51.546, -0.479), "Orpington": (51.375, 0.10)}
    outside = {"Watford": (51.656, -0.39), "Dartford": (51.446, 0.219), "Epsom": (51.336, -0.27),
               "Slough": (51.51, -0.59), "Reading": (51.454, -0.978), "Cheshunt": (51.70, -0.03)}
    lat, lon = np.array([*inside.values(), *outside.values()]).T
    assert in_greater_london(lat, lon).tolist() == [True] * len(inside) + [False] * len(outside)
