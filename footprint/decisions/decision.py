"""Everything an executive page needs about one scenario, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from footprint.decisions.attribution import Attribution, AttributionError, attribute
from footprint.decisions.costs import Appraisal, appraise
from footprint.decisions.defaults import CostDefaults
from footprint.decisions.targets import TargetCheck, check_target


@dataclass(frozen=True, eq=False)
class Decision:
    """What drives the change, what it costs, its embodied carbon and payback, and the target."""

    attribution: Attribution
    appraisal: Appraisal
    target: TargetCheck
    budget_gbp: float | None = None  #: the policy's annual budget [GBP/yr]

    def budget_sentence(self) -> str:
        """ "Annual cost to the organisation within the budget of £X a year: £Y a year" ("" without a budget)."""
        if self.budget_gbp is None:
            return ""
        from footprint.decisions.budget import budget_sentence

        cost = self.appraisal.scenario.organisation_total
        return (
            "Annual cost to the organisation "
            + budget_sentence(cost, self.budget_gbp)
            + "."
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "attribution": self.attribution.to_dict(),
            "cost": self.appraisal.to_dict(),
            "target": self.target.to_dict(),
        }
        if self.budget_gbp is not None:  # the key only with a budget
            cost = self.appraisal.scenario.organisation_total
            out["budget"] = {
                "annual_budget_gbp": self.budget_gbp,
                "annual_cost_gbp": cost,
                "within": cost <= self.budget_gbp,
                "text": self.budget_sentence(),
            }
        return out


def decide(
    result: Any, baseline: Any = None, defaults: CostDefaults | None = None
) -> Decision:
    """The decision view of a :class:`~footprint.scenario.run.ScenarioResult`.

    ``baseline`` is the baseline :class:`~footprint.scenario.schema.Scenario` (default:
    the one the scenario names, else the scenario's own policy on today's estate).
    """
    if baseline is None and result.scenario.baseline:
        from footprint.scenario.files import load_scenario

        baseline = load_scenario(result.scenario.resolve(result.scenario.baseline))
    policy = result.scenario.policy
    try:
        att = attribute(result, baseline if baseline is not None else result.scenario)
    except AttributionError:
        if baseline is None:
            raise
        # the result was run against another baseline (e.g. the app's): try the scenario's own policy
        baseline = None
        att = attribute(result, result.scenario)
    base_policy = baseline.policy if baseline is not None else policy
    app = appraise(
        result.organisation,
        result.plan,
        result.footprint,
        result.baseline,
        policy,
        defaults,
        baseline_policy=base_policy,
    )
    target = check_target(
        policy, result.footprint.total_tco2e, result.baseline.total_tco2e
    )
    return Decision(att, app, target, policy.annual_budget_gbp)


def decision_or_none(result: Any, baseline: Any = None) -> Decision | None:
    """:func:`decide`, or None when the result's baseline cannot be reproduced."""
    try:
        return decide(result, baseline)
    except AttributionError:
        return None
