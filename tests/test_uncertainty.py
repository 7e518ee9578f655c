"""Uncertainty: intervals bracket the central value; shared draws narrow the change."""

from __future__ import annotations

import numpy as np
import pytest

from footprint.accounting import account, current_plan, nearest_plan
from footprint.accounting.uncertainty import factor_sigma, footprint_uncertainty
from footprint.factors import load_factor_set
from footprint.inputs import Policy


def test_sigma_from_confidence_and_range():
    fs = load_factor_set("desnz-2025")
    assert factor_sigma(fs["electricity_generation"]) == 0.05  # primary
    video = fs["video_call"]  # assumption with range 0.02–0.16: 90 % interval
    assert factor_sigma(video) == pytest.approx(np.log(0.16 / 0.02) / (2 * 1.6448536269514722))


def test_intervals_bracket_the_estimate_and_are_reproducible(demo_org):
    p = Policy()
    base = account(demo_org, p, current_plan(demo_org))
    hubs = np.zeros(len(demo_org.sites), dtype=bool)
    hubs[np.argsort(-demo_org.sites.headcount)[:30]] = True
    fp = account(demo_org, p, nearest_plan(demo_org, p, hubs))
    u = footprint_uncertainty(fp, base, n_draws=4000, seed=1)
    assert u.total.p05 < fp.total_tco2e < u.total.p95
    assert u.total.p50 == pytest.approx(fp.total_tco2e, rel=0.02)  # multipliers have mean 1
    assert u.change.p05 < fp.total_tco2e - base.total_tco2e < u.change.p95
    # shared draws: the change is far less uncertain than either total
    assert (u.change.p95 - u.change.p05) < 0.5 * (u.total.p95 - u.total.p05)
    again = footprint_uncertainty(fp, base, n_draws=4000, seed=1)
    assert again == u
    for cat, iv in u.by_category.items():
        assert iv.p05 <= iv.p50 <= iv.p95, cat
