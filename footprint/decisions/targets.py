"""Where a scenario lands against a reduction target (e.g. −42 % by 2030 against 2019)."""

from __future__ import annotations

from dataclasses import dataclass

from footprint.inputs import Policy


@dataclass(frozen=True)
class TargetCheck:
    """A footprint against a base-year reduction target.

    Attributes
    ----------
    base_year, target_year : int
    reduction : float
        Required reduction against the base year. [fraction]
    base_tco2e : float
        Base-year footprint. [t CO2e/yr]
    base_is_baseline : bool
        True when no base-year footprint was given and the baseline stands in for it.
    target_tco2e : float
        ``base × (1 − reduction)``. [t CO2e/yr]
    scenario_tco2e : float
    gap_tco2e : float
        Scenario minus target: > 0 is still to cut. [t CO2e/yr]
    achieved : float or None
        Share of the required cut the scenario delivers. [fraction]
    """

    base_year: int
    target_year: int
    reduction: float
    base_tco2e: float
    base_is_baseline: bool
    target_tco2e: float
    scenario_tco2e: float
    gap_tco2e: float
    achieved: float | None

    @property
    def meets(self) -> bool:
        return self.gap_tco2e <= 0

    def sentence(self) -> str:
        base = (
            "the baseline, standing in for the base year"
            if self.base_is_baseline
            else f"{self.base_year}"
        )
        verdict = (
            "meets it"
            if self.meets
            else f"is {self.gap_tco2e:,.0f} t CO2e/yr short"
            + (
                f" ({100 * self.achieved:.0f} % of the required cut)"
                if self.achieved is not None
                else ""
            )
        )
        return (
            f"Target −{100 * self.reduction:.0f} % by {self.target_year} against {base} "
            f"({self.base_tco2e:,.0f} t): at most {self.target_tco2e:,.0f} t CO2e/yr; "
            f"this scenario ({self.scenario_tco2e:,.0f} t) {verdict}."
        )

    def to_dict(self) -> dict:
        return {
            "base_year": self.base_year,
            "target_year": self.target_year,
            "reduction": self.reduction,
            "base_tco2e": self.base_tco2e,
            "base_is_baseline": self.base_is_baseline,
            "target_tco2e": self.target_tco2e,
            "scenario_tco2e": self.scenario_tco2e,
            "gap_tco2e": self.gap_tco2e,
            "meets": self.meets,
            "achieved": self.achieved,
        }


def check_target(
    policy: Policy, scenario_tco2e: float, baseline_tco2e: float
) -> TargetCheck:
    """Where ``scenario_tco2e`` lands against the policy's target. [t CO2e/yr]"""
    given = policy.target_base_tco2e
    base = float(given) if given is not None else float(baseline_tco2e)
    target = base * (1.0 - policy.target_reduction)
    need = base - target
    return TargetCheck(
        int(policy.target_base_year),
        int(policy.target_year),
        policy.target_reduction,
        base,
        given is None,
        target,
        scenario_tco2e,
        scenario_tco2e - target,
        (base - scenario_tco2e) / need if need > 0 else None,
    )
