"""An annual budget as a constraint on the optimiser.

``policy.annual_budget_gbp`` [GBP/yr] caps a plan's annual cost to the organisation
(:attr:`~footprint.decisions.costs.AnnualCost.organisation_total`: estate, energy and
business travel; staff's commuting is not the organisation's cost). Business travel
couples pairs of hubs, so the cost is not linear in the hub model's variables and the
budget cannot be written as one linear constraint. It is enforced exactly, on the full
cost of each candidate plan, when the optimiser chooses among plans:

1. the local search on the full objective ranks plans by (amount over budget, objective),
   so it never leaves the budget once within it and moves towards it while over;
2. if the optimiser's plan is still over budget, a Lagrangian search prices money in:
   the plan is re-optimised at falling carbon prices (more weight on cost) from
   :data:`BUDGET_PRICES_GBP_PER_T`, first at the lowest, the cheapest plan the model can find;
   of the plans within budget, the one with the best objective of the policy itself is kept;
3. if none is within budget, the scenario is infeasible, with the amount over in words.
"""

from __future__ import annotations

from typing import Any

from footprint.accounting import Footprint
from footprint.inputs import Organisation, Policy

#: Carbon prices the Lagrangian search tries when the optimiser's plan is over budget,
#: dearest first after the cheapest (£1/t). [GBP/t CO2e]
BUDGET_PRICES_GBP_PER_T = (1.0, 1000.0, 100.0, 10.0)


def annual_cost_gbp(org: Organisation, fp: Footprint, policy: Policy) -> float:
    """A plan's annual cost to the organisation, the amount the budget caps. [GBP/yr]"""
    from footprint.decisions.costs import annual_cost

    return annual_cost(org, fp, policy).organisation_total


def over_budget_gbp(org: Organisation, fp: Footprint, policy: Policy) -> float:
    """How far a plan's annual cost exceeds the budget (0 within it or with no budget). [GBP/yr]"""
    if policy.annual_budget_gbp is None:
        return 0.0
    return max(0.0, annual_cost_gbp(org, fp, policy) - policy.annual_budget_gbp)


def budget_sentence(cost_gbp: float, budget_gbp: float) -> str:
    """ "within the budget of £X: £Y a year" (or over it by £Z)."""
    if cost_gbp <= budget_gbp:
        return (
            f"within the budget of £{budget_gbp:,.0f} a year: £{cost_gbp:,.0f} a year"
        )
    return (
        f"over the budget of £{budget_gbp:,.0f} a year: £{cost_gbp:,.0f} a year, "
        f"£{cost_gbp - budget_gbp:,.0f} over"
    )


def enforce_budget(
    report: Any,
    org: Organisation,
    policy: Policy,
    n_hubs: int | None,
    settings: Any,
    *,
    keep_offices_whole: bool,
    factors: Any,
) -> Any:
    """The optimiser's plan if within ``policy.annual_budget_gbp``, else the best plan within it.

    Parameters
    ----------
    report : HubReport
        The optimiser's plan under ``policy``.
    org, policy, n_hubs, settings, keep_offices_whole, factors
        As given to :func:`footprint.hubs.model.optimise_hubs`.

    Returns
    -------
    HubReport
        With ``budget_note`` saying where the plan lands against the budget.

    Raises
    ------
    footprint.errors.InfeasibleScenario
        When no plan found is within the budget, with the amount the cheapest is over.
    """
    from dataclasses import replace

    import numpy as np

    from footprint.errors import InfeasibleScenario
    from footprint.hubs.model import objective_kg, optimise_hubs

    budget = policy.annual_budget_gbp
    if budget is None:
        return report
    cost = annual_cost_gbp(org, report.footprint, policy)
    if cost <= budget:
        return replace(report, budget_note=budget_sentence(cost, budget))
    lam = settings.commute_weight_kg_per_km
    own = policy.carbon_price_gbp_per_t
    best, best_obj, best_cost, best_price, cheapest = None, np.inf, np.nan, np.nan, cost
    warm = np.flatnonzero(report.plan.open_sites)
    for price in BUDGET_PRICES_GBP_PER_T:
        if own is not None and price >= own and price != BUDGET_PRICES_GBP_PER_T[0]:
            continue  # no dearer carbon than the policy's own: that weighs money less
        trial = optimise_hubs(
            org,
            replace(policy, carbon_price_gbp_per_t=price),
            n_hubs,
            settings,
            keep_offices_whole=keep_offices_whole,
            factors=factors,
            warm_start=warm,
            enforce_budget=False,
        )
        c = annual_cost_gbp(org, trial.footprint, policy)
        cheapest = min(cheapest, c)
        if c <= budget:
            obj = objective_kg(org, trial.footprint, policy, lam)
            if obj < best_obj:
                best, best_obj, best_cost, best_price = trial, obj, c, price
            if price != BUDGET_PRICES_GBP_PER_T[0]:
                break  # the dearest carbon price within budget: the lowest footprint this search finds
        elif price == BUDGET_PRICES_GBP_PER_T[0]:
            break  # even the cheapest plan is over budget
        warm = np.flatnonzero(trial.plan.open_sites)
    if best is None:
        raise InfeasibleScenario(
            [
                f"no plan within the annual budget of £{budget:,.0f} was found: the cheapest plan the optimiser found "
                f"costs the organisation £{cheapest:,.0f} a year, £{cheapest - budget:,.0f} over (estate, energy and "
                "business travel); raise policy.annual_budget_gbp, allow fewer hubs, or share desks more"
            ]
        )
    return replace(
        best,
        seconds=report.seconds + best.seconds,
        budget_note=(
            budget_sentence(best_cost, budget)
            + f" (the optimiser's plan without the budget cost £{cost:,.0f}, "
            f"£{cost - budget:,.0f} over; this plan was found by re-optimising with money weighted at a "
            f"carbon price of £{best_price:g}/t and checked on its full cost)"
        ),
    )
