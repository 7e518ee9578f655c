"""The demo organisation: shape, heavy tail, determinism."""

from __future__ import annotations

import numpy as np

from footprint.demo import demo_organisation


def test_size_and_heavy_tail(demo_org):
    assert len(demo_org.sites) == 320
    assert demo_org.staff.total == 60_000
    hc = np.sort(demo_org.sites.headcount)[::-1]
    assert hc.sum() == 60_000
    assert 0.78 <= hc[:50].sum() / hc.sum() <= 0.83  # "about 80 % in the 50 largest"
    np.testing.assert_array_equal(demo_org.headcount_by_site, demo_org.sites.headcount)


def test_offices_are_real_uk_towns(demo_org):
    s = demo_org.sites
    assert s.name[int(np.argmax(s.headcount))] == "London"
    assert np.all((s.lat > 49.8) & (s.lat < 60.9) & (s.lon > -8.7) & (s.lon < 1.8))
    assert int(s.must_keep.sum()) == 1


def test_london_commutes_by_rail_elsewhere_by_car(demo_org):
    london = demo_org.sites.site_id[int(np.argmax(demo_org.sites.headcount))]
    st = demo_org.staff
    mode = np.asarray(st.mode)
    at_london = np.asarray(st.current_site_id) == london
    rail_share = st.count[at_london & np.isin(mode, ["rail", "underground"])].sum() / st.count[at_london].sum()
    car_share_elsewhere = st.count[~at_london & np.char.startswith(mode, "car")].sum() / st.count[~at_london].sum()
    assert rail_share > 0.45 and car_share_elsewhere > 0.55


def test_deterministic():
    demo_organisation.cache_clear()
    a = demo_organisation()
    demo_organisation.cache_clear()
    b = demo_organisation()
    assert a.sites == b.sites and a.staff == b.staff
