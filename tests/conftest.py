"""Shared fixtures: a hand-checkable toy organisation, and the demo."""

from __future__ import annotations

import numpy as np
import pytest

from footprint.inputs import Collaboration, Organisation, Sites, StaffGroups

# Three offices: London (A), Reading (B), Cambridge (C)
TOY_SITES = {
    "site_id": ["A", "B", "C"],
    "name": ["London", "Reading", "Cambridge"],
    "lat": [51.5074, 51.4543, 52.2053],
    "lon": [-0.1278, -0.9781, 0.1218],
    "headcount": [10, 4, 6],
    "desks": [10, 4, 6],
    "floor_area_m2": [1000.0, 400.0, 600.0],
    "electricity_kwh_per_m2": [100.0, 120.0, 90.0],
    "heating_kwh_per_m2": [150.0, 100.0, 130.0],
    "heating_fuel": ["gas", "gas", "electric"],
    "max_desks": [40, 20, 20],
}
# Staff groups: (home lat, home lon, count, office, mode)
TOY_STAFF = {
    "home_lat": [51.6, 51.40, 52.30, 51.50],
    "home_lon": [-0.20, -0.90, 0.20, -0.13],
    "count": [10.0, 4.0, 5.0, 1.0],
    "current_site_id": ["A", "B", "C", "C"],
    "commute_mode": ["rail", "car_petrol", "car_diesel", "underground"],
}


def toy_collaboration() -> Collaboration:
    """A→B: 10 meetings a year, 1 traveller, 2 h; C→A: 5 meetings, 2 travellers, 3 h."""
    rows = [
        {"site_a": "A", "site_b": "B", "meetings_per_year": 10, "attendees": 1, "hours": 2},
        {"site_a": "C", "site_b": "A", "meetings_per_year": 5, "attendees": 2, "hours": 3},
    ]
    return Collaboration.from_table(("A", "B", "C"), rows)


@pytest.fixture(scope="session")
def toy_org() -> Organisation:
    return Organisation(
        "toy",
        Sites.from_columns(TOY_SITES, source="toy sites"),
        StaffGroups.from_columns(TOY_STAFF, source="toy staff"),
        toy_collaboration(),
    )


@pytest.fixture(scope="session")
def demo_org() -> Organisation:
    from footprint.demo import demo_organisation

    return demo_organisation()


def shuffled(org: Organisation, seed: int) -> Organisation:
    """The same organisation with staff rows in another order."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(org.staff))
    st = org.staff
    staff = StaffGroups(st.home_lat[order], st.home_lon[order], st.count[order],
                        tuple(np.asarray(st.current_site_id)[order]), tuple(np.asarray(st.mode)[order]),
                        st.office_distance_km[order])
    return Organisation(org.name, org.sites, staff, org.collaboration)


@pytest.fixture(autouse=True, scope="session")
def _workspace_store_in_tmp(tmp_path_factory):
    """Tests never write the user's real workspace store (``footprint.store``): a throwaway SQLite file.

    Set in ``os.environ`` so that subprocesses (the CLI, a Streamlit server) use it too.
    """
    import os

    old = os.environ.get("FOOTPRINT_DB")
    os.environ["FOOTPRINT_DB"] = f"sqlite:///{tmp_path_factory.mktemp('store') / 'footprint.db'}"
    yield
    if old is None:
        os.environ.pop("FOOTPRINT_DB", None)
    else:
        os.environ["FOOTPRINT_DB"] = old


@pytest.fixture(autouse=True)
def _restore_main_module():
    """AppTest leaves ``sys.modules["__main__"]`` set to the app script; a process spawned
    later (a Dask worker, a background job) would then run the whole app while starting.
    Put the test runner's own back after each test."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
