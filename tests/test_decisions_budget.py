"""An annual budget constrains the optimiser: hand-computed costs of the toy's one-hub plans."""

from __future__ import annotations

import pytest

from footprint.decisions.budget import budget_sentence, over_budget_gbp
from footprint.errors import InfeasibleScenario, InputError
from footprint.hubs.model import optimise_hubs
from footprint.inputs import Policy
from footprint.scenario.schema import OptimiserSettings

# One hub for the toy's 20 staff: desks 20 × min(1, 3/5 × 1.2) × 0.8 = 11.52 → 12 desks × 12 m² + 500 m² fixed.
HUB_M2 = 12 * 12 + 500
# Regional occupancy (rent 377 × (1 + 0.555 rates) + service charge 86) + energy at the hub intensities:
# Reading (gas heating) 75 kWh × £0.21 + 80 kWh × £0.06; Cambridge (electric) 75 × 0.21 + 80 × 0.21.
READING_GBP = HUB_M2 * (377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.06)  # £446,153.54 a year
CAMBRIDGE_GBP = HUB_M2 * (
    377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.21
)  # £453,881.54 a year


@pytest.mark.parametrize(
    "method", ["exact", "heuristic"]
)  # heuristic: no local search, the Lagrangian step acts
def test_a_budget_below_the_best_plans_cost_buys_the_cheaper_hub(toy_org, method):
    settings = OptimiserSettings(method=method, time_limit_s=20.0, mip_gap=0.0)
    free = optimise_hubs(toy_org, Policy(annual_budget_gbp=460_000.0), 1, settings)
    assert free.hub_ids == (
        "C",
    )  # Cambridge is the lowest footprint, and within £460,000
    assert free.budget_note == budget_sentence(CAMBRIDGE_GBP, 460_000.0)
    assert "within the budget of £460,000 a year: £453,882 a year" in free.summary()

    bound = optimise_hubs(toy_org, Policy(annual_budget_gbp=450_000.0), 1, settings)
    assert bound.hub_ids == ("B",)  # Cambridge is £3,881.54 over; Reading fits
    assert (
        over_budget_gbp(toy_org, bound.footprint, Policy(annual_budget_gbp=450_000.0))
        == 0.0
    )
    assert over_budget_gbp(
        toy_org, free.footprint, Policy(annual_budget_gbp=450_000.0)
    ) == pytest.approx(CAMBRIDGE_GBP - 450_000.0)
    assert "within the budget of £450,000 a year: £446,154 a year" in bound.summary()
    assert bound.to_dict()["budget"].startswith("within the budget of £450,000")
    assert (
        bound.footprint.total_kgco2e > free.footprint.total_kgco2e
    )  # the budget costs carbon


def test_a_budget_no_plan_meets_is_infeasible_with_the_amount_over(toy_org):
    settings = OptimiserSettings(method="exact", time_limit_s=20.0, mip_gap=0.0)
    with pytest.raises(InfeasibleScenario) as e:
        optimise_hubs(toy_org, Policy(annual_budget_gbp=440_000.0), 1, settings)
    text = str(e.value)
    assert "annual budget of £440,000" in text
    assert (
        f"£{READING_GBP:,.0f} a year, £{READING_GBP - 440_000:,.0f} over" in text
    )  # £446,154, £6,154 over


def test_budget_field_has_unit_and_range():
    assert Policy(annual_budget_gbp=1e6).annual_budget_gbp == 1e6
    with pytest.raises(InputError, match="annual_budget_gbp"):
        Policy(annual_budget_gbp=0.0)
    with pytest.raises(InputError, match="GBP/yr"):
        Policy.from_mapping({"annual_budget_gbp": -5})
    assert (
        budget_sentence(1_200.0, 1_000.0)
        == "over the budget of £1,000 a year: £1,200 a year, £200 over"
    )


def test_summary_and_json_say_where_the_scenario_lands_against_the_budget(toy_org):
    from footprint.scenario.run import run_scenario
    from footprint.scenario.schema import HubChoice, Scenario
    from footprint.scenario.summary import format_summary, result_to_dict

    s = Scenario(
        "Reading only",
        policy=Policy(annual_budget_gbp=440_000.0),
        hubs=HubChoice(selection="explicit", sites=("B",)),
    )
    result = run_scenario(s, organisation=toy_org)
    d = result_to_dict(result)["budget"]
    assert d["annual_cost_gbp"] == pytest.approx(READING_GBP) and d["within"] is False
    assert (
        "Annual cost to the organisation over the budget of £440,000 a year: £446,154 a year, £6,154 over."
        in format_summary(result)
    )
