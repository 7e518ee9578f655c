"""Running a scenario: organisation → plan → footprint, and its baseline."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from footprint.accounting import Footprint, Plan, account, current_plan, nearest_plan
from footprint.accounting.plan import REMOTE, within_limit
from footprint.errors import InfeasibleScenario, Problem, ScenarioError
from footprint.factors import load_factor_set
from footprint.inputs import Organisation, Policy
from footprint.scenario.schema import HubChoice, Scenario

Progress = Callable[[float, str], bool | None]


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """A scenario's footprint, and its baseline's for comparison.

    Attributes
    ----------
    scenario : Scenario
    organisation : Organisation
    plan : Plan
    footprint : Footprint
    baseline : Footprint
        Today's estate with today's assignment, under the baseline scenario's
        policy (or this scenario's policy when it names no baseline).
    baseline_name : str
    optimisation : Any or None
        The optimiser's report when the hubs were optimised (see
        :class:`footprint.hubs.model.HubReport`).
    factor_effect_kgco2e : float
        Part of the change due to the baseline's different factor set alone
        (today's estate on the baseline's set minus on the scenario's set,
        negated); 0 when both use the same set (the default, like with like).
        [kg CO2e/yr]
    baseline_factor_note : str
        How the baseline's factor set was chosen, when the baseline scenario
        names another set ("" otherwise).
    """

    scenario: Scenario
    organisation: Organisation
    plan: Plan
    footprint: Footprint
    baseline: Footprint
    baseline_name: str
    optimisation: Any = None
    factor_effect_kgco2e: float = 0.0
    baseline_factor_note: str = ""

    @property
    def change_kgco2e(self) -> float:
        """Scenario minus baseline. [kg CO2e/yr]"""
        return self.footprint.total_kgco2e - self.baseline.total_kgco2e


def load_organisation(scenario: Scenario) -> Organisation:
    """The organisation a scenario names (the demo, or the user's files)."""
    ref = scenario.organisation
    if ref.source == "demo":
        from footprint.demo import demo_organisation

        return demo_organisation()
    from footprint.imports import read_organisation  # the user's own data (CSV/XLSX)

    return read_organisation(
        scenario.resolve(ref.sites),
        scenario.resolve(ref.staff),
        scenario.resolve(ref.collaboration) if ref.collaboration else None,
        name=scenario.name,
        mapping=dict(ref.columns) or None,
        valid_rows_only=ref.valid_rows_only,
        mapping_source=scenario.where,
    )


def _site_indices(org: Organisation, ids: tuple[str, ...], key: str, scenario: Scenario) -> np.ndarray:
    index = {s: i for i, s in enumerate(org.sites.site_id)}
    unknown = [s for s in ids if s not in index]
    if unknown:
        src = scenario.where
        raise ScenarioError([
            Problem(f"site id '{s}' is not in the organisation's sites; check the spelling", src, None, key)
            for s in unknown
        ])
    return np.array([index[s] for s in ids], dtype=np.int64)


def largest_offices(org: Organisation, count: int) -> np.ndarray:
    """Open-site mask of the ``count`` largest offices that can be hubs, must-keep sites first."""
    s = org.sites
    if count < int(s.must_keep.sum()):
        raise InfeasibleScenario([f"{int(s.must_keep.sum())} sites are must-keep but only {count} hubs are allowed"])
    eligible = s.can_be_hub & s.is_office
    if count > int((eligible | s.must_keep).sum()):
        raise InfeasibleScenario([f"only {int(eligible.sum())} offices can be hubs, fewer than {count}"])
    score = np.where(s.must_keep, np.inf, np.where(eligible, s.headcount.astype(float), -np.inf))
    order = np.argsort(-score, kind="stable")[:count]
    if not np.all(np.isfinite(score[order]) | s.must_keep[order]):
        raise InfeasibleScenario([f"only {int(eligible.sum())} offices can be hubs, fewer than {count}"])
    mask = np.zeros(len(s), dtype=bool)
    mask[order] = True
    return mask


def plan_for(org: Organisation, policy: Policy, hubs: HubChoice, scenario: Scenario,
             progress: Progress | None = None) -> tuple[Plan, Any]:
    """The plan a scenario's ``[hubs]`` table describes, and the optimiser's report if any."""
    whole = hubs.assignment == "offices_whole"
    if hubs.selection == "current":
        return current_plan(org), None
    if hubs.selection == "optimise":
        from footprint.hubs.model import optimise_hubs

        if hubs.count < 1 and scenario.optimiser.fixed_hub_tco2e <= 0:  # as `optimise` refuses it
            raise ScenarioError([Problem("selection 'optimise' with count = 0 (a free number of hubs) needs a price "
                                         "per hub, optimiser.fixed_hub_tco2e > 0; or set hubs.count to the number "
                                         "of hubs", scenario.where, None, "hubs.count")])

        report = optimise_hubs(org, policy, hubs.count or None, scenario.optimiser, keep_offices_whole=whole,
                               progress=progress)
        return report.plan, report
    if hubs.selection == "explicit":
        mask = np.zeros(len(org.sites), dtype=bool)
        mask[_site_indices(org, hubs.sites, "hubs.sites", scenario)] = True
        label = f"{int(mask.sum())} hubs named in the scenario"
    else:
        mask = largest_offices(org, hubs.count)
        label = f"the {hubs.count} largest offices as hubs"
    if hubs.office_to_hub or hubs.group_to_hub:
        return _plan_from_moves(org, policy, mask, hubs, scenario, label), None
    if hubs.respect_capacity:
        from footprint.hubs.nearest_with_room import nearest_with_room

        return nearest_with_room(org, policy, mask, keep_offices_whole=whole,
                                 label=f"{label}, staff to the nearest hub with room"), None
    label += ", staff to the nearest hub (desk capacity not checked)"
    return nearest_plan(org, policy, mask, keep_offices_whole=whole, label=label), None


def _plan_from_moves(org: Organisation, policy: Policy, mask: np.ndarray, hubs: HubChoice,
                     scenario: Scenario, label: str) -> Plan:
    offices = _site_indices(org, tuple(k for k, _ in hubs.office_to_hub), "hubs.office_to_hub", scenario)
    targets = _site_indices(org, tuple(v for _, v in hubs.office_to_hub), "hubs.office_to_hub", scenario)
    if not np.all(mask[targets]):
        raise ScenarioError([Problem("office_to_hub moves staff to a site that is not a hub", scenario.where,
                                     None, "hubs.office_to_hub")])
    fallback = nearest_plan(org, policy, mask, keep_offices_whole=True)
    office_target = fallback.assignment[np.unique(org.group_site, return_index=True)[1]]
    move = np.full(len(org.sites), -1)
    move[np.unique(org.group_site)] = office_target
    move[offices] = targets
    assignment = move[org.group_site]
    if hubs.group_to_hub:
        assignment = _group_moves(org, mask, hubs, scenario, assignment)
    if policy.beyond_limit != "commute" and (policy.max_commute_km or policy.max_commute_minutes):
        ok = within_limit(org, policy)[np.arange(len(assignment)), assignment]
        assignment = np.where(ok, assignment, REMOTE)
    return Plan(mask, assignment, False, label + " (office moves from the scenario file)")


def _group_moves(org: Organisation, mask: np.ndarray, hubs: HubChoice, scenario: Scenario,
                 assignment: np.ndarray) -> np.ndarray:
    """``assignment`` with the staff groups of ``hubs.group_to_hub`` sent to their hubs."""
    from footprint.hubs.model import staff_group_keys

    row = {k: i for i, k in enumerate(staff_group_keys(org.staff))}
    unknown = [k for k, _ in hubs.group_to_hub if k not in row]
    if unknown:
        shown = ", ".join(f"'{k}'" for k in unknown[:3]) + (f" and {len(unknown) - 3} more" if len(unknown) > 3 else "")
        raise ScenarioError([Problem(
            f"{len(unknown)} staff group(s) are not in the organisation's staff: {shown} (keys are "
            "'office id|mode|lat,lon'; the table belongs to the organisation it was optimised for)",
            scenario.where, None, "hubs.group_to_hub")])
    targets = _site_indices(org, tuple(v for _, v in hubs.group_to_hub), "hubs.group_to_hub", scenario)
    if not np.all(mask[targets]):
        raise ScenarioError([Problem("group_to_hub moves staff to a site that is not a hub", scenario.where,
                                     None, "hubs.group_to_hub")])
    out = np.array(assignment, copy=True)
    out[[row[k] for k, _ in hubs.group_to_hub]] = targets
    return out


def run_scenario(scenario: Scenario, *, baseline: Scenario | None = None, progress: Progress | None = None,
                 organisation: Organisation | None = None) -> ScenarioResult:
    """Run ``scenario`` and its baseline.

    Parameters
    ----------
    scenario : Scenario
    baseline : Scenario, optional
        The baseline scenario. Default: the file named by ``scenario.baseline``
        (relative to the scenario), else the scenario's own policy on today's estate.
    progress : callable, optional
        ``progress(fraction, message)`` for long optimisations; return True to cancel.
    organisation : Organisation, optional
        Use this organisation instead of loading the one the scenario names
        (the app passes the organisation it already holds).
    """
    org = organisation if organisation is not None else load_organisation(scenario)
    factors = load_factor_set(_factor_path(scenario, scenario.policy))
    plan, report = plan_for(org, scenario.policy, scenario.hubs, scenario, progress)
    fp = account(org, scenario.policy, plan, factors)
    if baseline is None and scenario.baseline:
        from footprint.scenario.files import load_scenario

        baseline = load_scenario(scenario.resolve(scenario.baseline))
    base_policy = baseline.policy if baseline is not None else scenario.policy
    own_factors = load_factor_set(_factor_path(baseline or scenario, base_policy))
    like_with_like = scenario.policy.factor_set_baseline == "same"
    base_factors = factors if like_with_like else own_factors
    if scenario.hubs.selection == "current" and base_policy == scenario.policy:
        base_fp = fp
    else:
        base_fp = account(org, base_policy, current_plan(org), base_factors)
    name = baseline.name if baseline is not None else "today's estate (same policy)"
    effect, note = 0.0, ""
    if own_factors.id != factors.id or own_factors != factors:
        if like_with_like:
            note = (f"The baseline scenario names factor set {own_factors.id}; it is compared on this scenario's "
                    f"set {factors.id}, like with like (policy factor_set_baseline = \"same\").")
        else:
            same_fp = account(org, base_policy, current_plan(org), factors)
            effect = same_fp.total_kgco2e - base_fp.total_kgco2e
            note = (f"The baseline uses its own factor set {own_factors.id}, the scenario {factors.id}: "
                    f"{effect / 1000:+,.1f} t CO2e/yr of the change is the factor-set change alone "
                    "(today's estate on both sets).")
    return ScenarioResult(scenario, org, plan, fp, base_fp, name, report, effect, note)


#: What a run keeps of its time limit for the work after the optimiser (the
#: baseline, the result's way back to the app): a share of the limit, plus seconds.
AFTER_SOLVE_SHARE, AFTER_SOLVE_S = 0.05, 1.0


def optimise_scenario(scenario: Scenario, baseline: Scenario | None = None,
                      organisation: Organisation | None = None, *,
                      progress: Progress | None = None,
                      deadline: float | None = None) -> tuple[Scenario, ScenarioResult]:
    """Run the optimiser for ``scenario`` (``hubs.selection == "optimise"``).

    Returns a copy of the scenario with the chosen hubs written out explicitly
    (sites and office moves), which reproduces the plan without re-optimising,
    and the result. ``organisation=None`` loads the one the scenario names (so a
    worker process can rebuild the demo instead of receiving it). ``deadline``
    (:func:`time.time` [s]) makes the time limit count from when the user asked,
    not from when the optimiser starts: what loading the organisation took, and
    a reserve for the work after the solve, come off the optimiser's limit.
    """
    asked = scenario
    if deadline is not None:
        organisation = organisation if organisation is not None else load_organisation(scenario)
        limit = scenario.optimiser.time_limit_s
        left = deadline - time.time() - (AFTER_SOLVE_SHARE * limit + AFTER_SOLVE_S)
        scenario = replace(scenario, optimiser=replace(scenario.optimiser, time_limit_s=max(1.0, min(limit, left))))
    result = run_scenario(scenario, baseline=baseline, organisation=organisation, progress=progress)
    result = replace(result, scenario=asked)
    scenario = asked
    report = result.optimisation
    moves = report.office_to_hub() if report is not None else {}
    groups = report.group_to_hub(result.organisation.staff, moves) if report is not None else {}
    fixed = replace(scenario, hubs=HubChoice(
        selection="explicit", sites=result.footprint.open_site_ids, assignment=scenario.hubs.assignment,
        office_to_hub=tuple(sorted(moves.items())), group_to_hub=tuple(sorted(groups.items()))))
    return fixed, result


def prepare_worker() -> None:
    """Load ahead what an optimiser run needs, in a standby worker process.

    For :func:`footprint.background.keep_warm`: the solver's compiled kernels
    (from numba's cache), the demo organisation with its distance matrices,
    and the hub model's costs by staff group under the default policy, so
    that a run on the demo starts solving at once instead of after several
    seconds of set-up.
    """
    import footprint.hubs.model  # noqa: F401 - the optimiser's modules
    from footprint.demo import demo_organisation
    from footprint.hubs.costs import build_ahead
    from footprint.locate import warm_up

    warm_up()
    org = demo_organisation()
    org.staff_distance_km, org.home_distance_km, org.site_distance_km  # noqa: B018 - cached per organisation
    policy = Policy()  # the demo scenarios' policy: Consolidate's default run, by staff group
    build_ahead(org, policy, load_factor_set(policy.factor_set), keep_offices_whole=False)


def _factor_path(scenario: Scenario, policy: Policy) -> str | Path:
    """A factor set id, or a user file resolved against the scenario's folder."""
    fs = policy.factor_set
    return scenario.resolve(fs) if fs.endswith(".toml") else fs


def with_policy(scenario: Scenario, **changes: Any) -> Scenario:
    """A copy of ``scenario`` with some policy values changed (validated)."""
    return replace(scenario, policy=replace(scenario.policy, **changes))
