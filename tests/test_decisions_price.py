"""The optimiser weighs money at a carbon price; the carbon–cost front and its knee."""

from __future__ import annotations

import numpy as np
import pytest

from footprint.decisions.pricesweep import carbon_price_front, knee_index
from footprint.factors import load_factor_set
from footprint.hubs.costs import desks_per_person, hub_costs
from footprint.hubs.model import optimise_hubs
from footprint.inputs import Policy
from footprint.scenario.schema import OptimiserSettings

SETTINGS = OptimiserSettings(method="exact", time_limit_s=20.0, mip_gap=0.0)


def test_carbon_price_adds_the_hand_computed_cost_of_a_hub(toy_org):
    fs = load_factor_set("desnz-2025")
    base = hub_costs(toy_org, Policy(), fs, keep_offices_whole=True)
    priced = hub_costs(
        toy_org, Policy(carbon_price_gbp_per_t=100.0), fs, keep_offices_whole=True
    )
    # London (A): rent 807 × (1 + 0.555 rates) + service 161, energy 75 kWh × 0.21 + 80 kWh × 0.06 (gas)
    london_gbp_m2 = 807 * 1.555 + 161 + 75 * 0.21 + 80 * 0.06
    # Cambridge (C, regional, electric heating): 377 × 1.555 + 86 + 75 × 0.21 + 80 × 0.21
    cambridge_gbp_m2 = 377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.21
    kg_per_gbp = 1000 / 100.0
    assert priced.fixed - base.fixed == pytest.approx(
        np.array(
            [london_gbp_m2, 377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.06, cambridge_gbp_m2]
        )
        * 500
        * kg_per_gbp
    )
    # office A (10 staff) staying at A: floor area per person × cost of a m², no relocation
    per_person_m2 = desks_per_person(Policy()) * 12.0
    assert priced.cost[0, 0] - base.cost[0, 0] == pytest.approx(
        10 * per_person_m2 * london_gbp_m2 * kg_per_gbp
    )
    # office A moving to C: Cambridge's m² plus relocation of 10 people, £500 over the annuity factor
    af = (1 - 1.035**-10) / 0.035
    assert priced.cost[0, 2] - base.cost[0, 2] == pytest.approx(
        10 * per_person_m2 * cambridge_gbp_m2 * kg_per_gbp + 10 * 500 / af * kg_per_gbp
    )


def test_a_low_carbon_price_buys_the_cheapest_estate_and_a_high_one_the_lowest_footprint(
    toy_org,
):
    carbon_only = optimise_hubs(toy_org, Policy(), 1, SETTINGS)
    dear = optimise_hubs(toy_org, Policy(carbon_price_gbp_per_t=100_000.0), 1, SETTINGS)
    cheap = optimise_hubs(toy_org, Policy(carbon_price_gbp_per_t=1.0), 1, SETTINGS)
    assert dear.hub_ids == carbon_only.hub_ids
    # Reading: regional rent and gas heating, the cheapest m² of the three
    assert cheap.hub_ids == ("B",)
    assert cheap.footprint.total_kgco2e >= dear.footprint.total_kgco2e


def test_price_front_is_monotone_and_knee_is_the_farthest_point(toy_org):
    front = carbon_price_front(
        toy_org, Policy(), 1, SETTINGS, [1.0, 100.0, 1000.0, 100_000.0]
    )
    t = [p.tco2e for p in front.points]
    cost = [p.cost_gbp for p in front.points]
    assert [p.price_gbp_per_t for p in front.points] == [1.0, 100.0, 1000.0, 100_000.0]
    assert all(
        a >= b - 1e-6 for a, b in zip(t, t[1:], strict=False)
    )  # dearer carbon, less carbon
    assert cost[0] <= min(cost) + 1e-6
    # knee on a hand-made front: (0,1) (0.2,0.3) (1,0) → the middle point
    assert knee_index([0.0, 0.2, 1.0], [1.0, 0.3, 0.0]) == 1
    assert knee_index([0.0, 0.5, 1.0], [1.0, 0.5, 0.0]) is None  # on the chord: no knee
