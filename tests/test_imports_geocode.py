"""Offline gazetteer geocoder on known places; online geocoder through a fake geopy geocoder."""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from footprint.errors import InputError
from footprint.geo.distance import distance_km
from footprint.imports import OfflineGeocoder, OnlineGeocoder, read_sites
from footprint.imports.geocode import ChainGeocoder


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("Birmingham", 52.4862, -1.8904),
    ("Leeds", 53.8008, -1.5491),
    ("Edinburgh", 55.9533, -3.1883),
    ("Cardiff", 51.4816, -3.1791),
    ("Stoke-on-Trent", 53.0027, -2.1794),
    ("Saint Albans", 51.7527, -0.3394),
    ("Newport, NP20", 51.5842, -2.9977),
    ("B15 2TT", 52.4560, -1.9300),
    ("SW1A", 51.5014, -0.1419),
    ("10 Downing Street, London SW1A 2AA", 51.5034, -0.1276),
    ("Paris, France", 48.8566, 2.3522),
    ("Portland, Oregon", 45.5152, -122.6784),
])
def test_offline_known_places(query, lat, lon):
    m = OfflineGeocoder().lookup(query)
    assert m.ok, m.reason
    assert distance_km(m.lat, m.lon, lat, lon) < 5.0


@pytest.mark.parametrize(("query", "status", "text"), [
    ("Newport", "ambiguous", "add the region or country"),
    ("Richmond", "ambiguous", "Richmond, England, GB"),
    ("Newcastle", "ambiguous", "Newcastle upon Tyne"),
    ("Paris", "ambiguous", "Paris, TX, US"),
    ("Xyzzyville", "unmatched", "not a town"),
    ("BT1 1AA", "unmatched", "Northern Ireland"),
    ("France", "unmatched", "names a country"),
])
def test_offline_never_guesses(query, status, text):
    m = OfflineGeocoder().lookup(query)
    assert m.status == status and text in m.reason


def test_geopy_interface():
    loc = OfflineGeocoder().geocode("York")
    assert isinstance(loc, Location) and distance_km(loc.latitude, loc.longitude, 53.96, -1.08) < 5
    assert OfflineGeocoder().geocode("Newport") is None


class FakeGeocoder(Geocoder):
    """A fake of geopy's geocoder interface (no network)."""

    def __init__(self, fail: bool = False):
        super().__init__(user_agent="test")
        self.calls: list[str] = []
        self.fail = fail

    def geocode(self, query, exactly_one=True, **kwargs):
        self.calls.append(query)
        if self.fail:
            raise GeocoderUnavailable("no network")
        if "nowhere" in query.lower():
            return None
        return Location(f"{query}, Somewhere", Point(50.1, -5.1), {})


def test_online_used_only_for_unmatched_and_cached(tmp_path):
    fake = FakeGeocoder()
    cache = tmp_path / "cache.json"
    online = OnlineGeocoder(fake, cache_path=cache, min_delay_seconds=0, error_wait_seconds=0)
    geo = ChainGeocoder(OfflineGeocoder(), online)
    data = b"site_id,location,headcount\nA,Leeds,1\nB,Tiny Hamlet X,1\nC,Tiny Hamlet X,1\nD,Nowhere Q,1\nE,Newport,1\n"
    r = read_sites(data, "o.csv", geocoder=geo)
    assert fake.calls == ["Tiny Hamlet X", "Nowhere Q"]  # once per place; never Leeds or ambiguous Newport
    assert r.n_valid == 3 and r.invalid_rows == (5, 6)
    assert "not found by the online geocoder" in r.problems[0].message
    again = OnlineGeocoder(FakeGeocoder(fail=True), cache_path=cache, min_delay_seconds=0, error_wait_seconds=0)
    assert again.lookup("Tiny Hamlet X", "GB").ok  # from the disk cache, no request


def test_online_fails_clearly_without_network():
    geo = OnlineGeocoder(FakeGeocoder(fail=True), min_delay_seconds=0, error_wait_seconds=0)
    with pytest.raises(InputError, match="the online geocoder did not answer"):
        read_sites(b"site_id,location,headcount\nA,Tiny Hamlet X,1\n", "o.csv",
                   geocoder=ChainGeocoder(OfflineGeocoder(), geo))
