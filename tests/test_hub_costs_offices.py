"""Offices moved whole: the per-office cost matrix equals the staff groups' costs summed per office.

``hub_costs(..., keep_offices_whole=True)`` sums per office first (one sparse product,
walkers and cyclists row by row); it must give the numbers of costing every staff group
and adding them up, with and without a carbon price, at any office days.
"""

from __future__ import annotations

import numpy as np
import pytest

from footprint.demo import demo_organisation
from footprint.factors import load_factor_set
from footprint.hubs.costs import hub_costs
from footprint.inputs import Policy


@pytest.fixture(scope="module")
def org():
    return demo_organisation()


@pytest.mark.parametrize("policy", [Policy(), Policy(office_days_per_week=2, carbon_price_gbp_per_t=120.0),
                                    Policy(office_days_per_week=5, video_share=0.8)])
def test_office_costs_are_the_groups_summed(org, policy: Policy) -> None:
    fs = load_factor_set(policy.factor_set)
    whole = hub_costs(org, policy, fs, keep_offices_whole=True)
    groups = hub_costs(org, policy, fs, keep_offices_whole=False)
    offices, unit = np.unique(org.group_site, return_inverse=True)
    summed = np.zeros((offices.size, groups.cost.shape[1]))
    np.add.at(summed, unit, groups.cost)
    assert whole.cost.shape == summed.shape
    np.testing.assert_allclose(whole.cost, summed, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(whole.demand, np.bincount(unit, weights=groups.demand), rtol=1e-12)
    np.testing.assert_array_equal(whole.candidates, groups.candidates)
    np.testing.assert_allclose(whole.fixed, groups.fixed, rtol=1e-12)
    assert whole.cost.min() > 0  # commuting and buildings cost something everywhere
