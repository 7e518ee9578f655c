"""Distances against geopy.distance.geodesic (Karney), everywhere on the globe."""

from __future__ import annotations

import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint.geo import distance_km, distance_matrix_km

TOLERANCE = 1e-3  # 0.1 %

PAIRS = {
    "same point": ((51.5, -0.12), (51.5, -0.12)),
    "10 m": ((51.5, -0.12), (51.50009, -0.12)),
    "London–Manchester": ((51.5074, -0.1278), (53.4808, -2.2426)),
    "across the date line": ((-16.5, 179.9), (-17.7, -178.2)),
    "pole to pole": ((90.0, 0.0), (-90.0, 0.0)),
    "London–Sydney": ((51.5074, -0.1278), (-33.8688, 151.2093)),
    "equatorial antipodes": ((0.0, 0.0), (0.0, 179.9)),
    "near-antipodal, off equator": ((40.0, -3.7), (-40.2, 176.1)),
    "exact antipodes": ((30.0, 10.0), (-30.0, -170.0)),
}


@pytest.mark.parametrize("a,b", PAIRS.values(), ids=PAIRS.keys())
def test_known_pairs(a, b):
    expected = geodesic(a, b).km
    got = float(distance_km(a[0], a[1], b[0], b[1]))
    assert got == pytest.approx(expected, rel=TOLERANCE, abs=1e-6)


lat = st.floats(-90, 90, allow_nan=False)
lon = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(lat, lon, lat, lon)
def test_random_pairs_within_0_1_percent(lat1, lon1, lat2, lon2):
    expected = geodesic((lat1, lon1), (lat2, lon2)).km
    got = float(distance_km(lat1, lon1, lat2, lon2))
    assert got == pytest.approx(expected, rel=TOLERANCE, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(lat, lon, st.floats(-3, 3), st.floats(-3, 3))
def test_near_antipodal_pairs(lat1, lon1, dlat, dlon):
    lat2 = float(np.clip(-lat1 + dlat, -90, 90))
    lon2 = (lon1 + 180 + dlon + 180) % 360 - 180
    expected = geodesic((lat1, lon1), (lat2, lon2)).km
    assert float(distance_km(lat1, lon1, lat2, lon2)) == pytest.approx(expected, rel=TOLERANCE)


def test_matrix_matches_elementwise_and_is_symmetric():
    rng = np.random.default_rng(0)
    la, lo = rng.uniform(-60, 60, 30), rng.uniform(-180, 180, 30)
    m = distance_matrix_km(la, lo, la, lo)
    assert m.shape == (30, 30)
    np.testing.assert_allclose(m, m.T, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.diag(m), 0.0, atol=1e-9)
    for i, j in [(0, 1), (5, 17), (29, 3)]:
        assert m[i, j] == pytest.approx(geodesic((la[i], lo[i]), (la[j], lo[j])).km, rel=TOLERANCE)


def test_short_distances_are_precise():
    # 1 m north of a point: the haversine form keeps full precision at short range
    d = float(distance_km(52.0, 0.0, 52.0 + 1 / 111_250, 0.0))
    assert d == pytest.approx(geodesic((52.0, 0.0), (52.0 + 1 / 111_250, 0.0)).km, rel=1e-4)


def test_distance_docstring_examples_hold() -> None:
    """The module's examples are run (London–Manchester 262.4 km: geographiclib says 262.37)."""
    import doctest

    import footprint.geo.distance as distance

    assert doctest.testmod(distance).failed == 0
