"""The single place where ``footprint`` is wrapped for the app (caching included).

Organisations and footprints are large and not hashable by value, so caches are
keyed on small strings: the organisation key (``"demo"`` or ``"ws:<id>"``, an upload),
the hub choice as JSON, the policy as JSON and scenarios as TOML text. Cached
objects are frozen (read-only arrays) and shared between sessions, never mutated.

Long runs (the optimiser, sweeps) are *not* cached: they draw a progress bar, and
their results are kept in the user's session instead.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, replace
from functools import partial
from typing import Any

import streamlit as st

from app_pages import state
from footprint import background
from footprint.accounting import Footprint, Plan, account, current_plan
from footprint.factors import available_factor_sets, load_factor_set
from footprint.inputs import Organisation, Policy
from footprint.locate import warm_up
from footprint.scenario import (
    HubChoice,
    Scenario,
    ScenarioResult,
    optimise_scenario,
    parse_scenario,
    prepare_worker,
    run_scenario,
    scenario_to_toml,
)
from footprint.scenario.files import scenario_to_dict
from footprint.scenario.flows import CommuteTimes, Flows, commute_times, plan_flows
from footprint.scenario.run import plan_for


@st.cache_resource(show_spinner=False)
def start_optimiser_warm_up() -> threading.Thread:
    """Compile or load the optimiser's kernels in the background, once per server.

    The first optimisation after an install would otherwise wait about 10 s for
    the numba compiler; the thread draws nothing and shares no session state.
    """
    thread = threading.Thread(target=warm_up, name="footprint-optimiser-warm-up", daemon=True)
    thread.start()
    # and a worker process ready for the first "Run optimiser", with the demo loaded
    background.keep_warm(prepare_worker)
    return thread


#: Policy fields that change the footprint but never the plan (the workshop levers).
NON_PLAN_FIELDS = (*state.WORKSHOP_SLIDERS, "factor_set", "radiative_forcing", "well_to_tank",
                   "include_homeworking", "working_days_per_year", "hours_per_day", "peak_factor",
                   "business_car_max_km", "business_rail_max_km", "hotel_min_km", "car_occupancy")
MAX_UPLOADS = 8


# --- keys ----------------------------------------------------------------------------
def policy_key(policy: Policy) -> str:
    return json.dumps(policy.to_mapping(), sort_keys=True)


#: Policy values that size the desks each person needs: a plan that keeps hubs within
#: their desks (``hubs.respect_capacity``) depends on them too.
DESK_FIELDS = ("office_days_per_week", "peak_factor", "desk_sharing_ratio")


def plan_policy_key(policy: Policy, hubs: HubChoice | None = None) -> str:
    """The policy values the plan of ``hubs`` depends on (circuity, commute limits; desks
    per person where staff go to the nearest hub with room)."""
    desks = (hubs is not None and hubs.respect_capacity and hubs.selection in ("explicit", "largest")
             and not hubs.office_to_hub and not hubs.group_to_hub)
    m = {k: v for k, v in policy.to_mapping().items()
         if k not in NON_PLAN_FIELDS or (desks and k in DESK_FIELDS)}
    return json.dumps(m, sort_keys=True)


def policy_from_key(text: str) -> Policy:
    """The policy a :func:`policy_key` stands for."""
    return Policy.from_mapping(json.loads(text))


def hubs_key(hubs: HubChoice) -> str:
    return json.dumps(scenario_to_dict(Scenario(name="k", hubs=hubs))["hubs"], sort_keys=True)


def _hubs_from_key(text: str) -> HubChoice:
    d = json.loads(text)
    d["sites"] = tuple(d.get("sites", ()))
    d["office_to_hub"] = tuple(sorted(d.get("office_to_hub", {}).items()))
    d["group_to_hub"] = tuple(sorted(d.get("group_to_hub", {}).items()))
    return HubChoice(**d)


# --- organisations -----------------------------------------------------------------
@st.cache_resource(show_spinner="Loading the demo organisation…")
def _demo() -> Organisation:
    from footprint.demo import demo_organisation

    return demo_organisation()


@st.cache_resource
def _uploads() -> OrderedDict[str, Organisation]:
    """Uploaded organisations by key (shared, bounded; random keys, handed only to sessions holding the token)."""
    return OrderedDict()


def organisation(key: str) -> Organisation:
    """The organisation for ``key``; an upload the cache dropped is reloaded from the session's workspace."""
    if key == state.DEMO:
        return _demo()
    org = _uploads().get(key)
    if org is None:
        # from the session's workspace; raises workspace.DataGone when this session cannot reach it
        from app_pages import workspace

        org = workspace.reload(key)
    return org


def has_organisation(key: str) -> bool:
    return key == state.DEMO or key in _uploads()


def keep_organisation(key: str, org: Organisation) -> None:
    """Hold an uploaded organisation under ``key`` (``ws:<id>``, see ``app_pages/workspace.py``)."""
    store = _uploads()
    store[key] = org
    store.move_to_end(key)
    while len(store) > MAX_UPLOADS:
        store.popitem(last=False)


def factor_sets() -> tuple[str, ...]:
    """Built-in factor set ids, oldest first (for the factor-year slider)."""
    return tuple(sorted(available_factor_sets(), key=lambda s: (s.split("-")[0] != "desnz", s)))


@st.cache_resource(max_entries=16)
def factor_label(set_id: str) -> str:
    fs = load_factor_set(set_id)
    publisher = "DESNZ" if "DESNZ" in fs.name else "US EPA" if "EPA" in fs.name else fs.name
    return f"{publisher} {fs.year}"


# --- footprints ----------------------------------------------------------------------
@st.cache_resource(max_entries=32, show_spinner="Computing the baseline footprint…")
def _baseline(key: str, policy_json: str) -> Footprint:
    org = organisation(key)
    policy = Policy.from_mapping(json.loads(policy_json))
    return account(org, policy, current_plan(org))


def baseline_footprint(key: str, policy: Policy) -> Footprint:
    """Today's estate under ``policy``."""
    return _baseline(key, policy_key(policy))


@st.cache_resource(max_entries=32, show_spinner="Assigning staff to hubs…")
def _plan(key: str, hubs_json: str, policy_json: str) -> Plan:
    org = organisation(key)
    policy = Policy.from_mapping(json.loads(policy_json))
    hubs = _hubs_from_key(hubs_json)
    plan, _ = plan_for(org, policy, hubs, Scenario(name="plan", hubs=hubs, policy=policy))
    return plan


def plan(key: str, s: Scenario) -> Plan:
    """The fixed plan (hubs and assignment) of a scenario that needs no optimiser run."""
    if s.hubs.selection == "optimise":
        raise NeedsOptimiser(s.hubs.count)
    return _plan(key, hubs_key(s.hubs), plan_policy_key(s.policy, s.hubs))


class NeedsOptimiser(Exception):
    """The scenario asks the optimiser to choose the hubs: an explicit action."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(f"the optimiser must choose {count} hubs first")


@st.cache_resource(max_entries=64, show_spinner=False)
def _footprint(key: str, hubs_json: str, plan_json: str, policy_json: str) -> Footprint:
    org = organisation(key)
    policy = Policy.from_mapping(json.loads(policy_json))
    return account(org, policy, _plan(key, hubs_json, plan_json))


def scenario_footprint(key: str, s: Scenario) -> Footprint:
    """The footprint of a scenario's fixed plan under its policy (no re-optimisation)."""
    if s.hubs.selection == "optimise":
        raise NeedsOptimiser(s.hubs.count)
    return _footprint(key, hubs_key(s.hubs), plan_policy_key(s.policy, s.hubs), policy_key(s.policy))


def current_result(key: str, s: Scenario, base: Scenario, optimisation: Any = None) -> ScenarioResult:
    """A :class:`ScenarioResult` of the current scenario from the cached pieces."""
    return ScenarioResult(
        scenario=s,
        organisation=organisation(key),
        plan=plan(key, s),
        footprint=scenario_footprint(key, s),
        baseline=baseline_footprint(key, base.policy),
        baseline_name=base.name,
        optimisation=optimisation,
    )


@st.cache_resource(max_entries=16, show_spinner="Running the scenario…")
def _run(key: str, scenario_toml: str, baseline_toml: str) -> ScenarioResult:
    return run_scenario(parse_scenario(scenario_toml), baseline=parse_scenario(baseline_toml),
                        organisation=organisation(key))


def run_saved(key: str, s: Scenario, base: Scenario) -> ScenarioResult:
    """Run a saved scenario against the app's baseline (cached by its TOML text)."""
    if s.hubs.selection == "optimise":
        raise NeedsOptimiser(s.hubs.count)
    return _run(key, scenario_to_toml(s), scenario_to_toml(base))


# --- long runs (not cached) --------------------------------------------------------
def optimiser_available() -> bool:
    try:
        import footprint.hubs.model  # noqa: F401
    except ImportError:
        return False
    return True


def sweep_available() -> bool:
    try:
        import footprint.hubs.sweep  # noqa: F401
    except ImportError:
        return False
    return True


def start_optimise(key: str, s: Scenario, base: Scenario) -> background.Job:
    """Start the optimiser for ``s`` in a worker process (the server stays responsive).

    The job's result is ``(fixed scenario, ScenarioResult)``, see
    :func:`footprint.scenario.optimise_scenario`; pass it through :func:`optimise_result`.
    The demo is rebuilt in the worker (deterministic) rather than sent to it.
    """
    org = None if key == state.DEMO else organisation(key)
    # the limit counts from the click: the worker's start-up comes off the solver's time
    deadline = time.time() + s.optimiser.time_limit_s
    return background.start(partial(optimise_scenario, deadline=deadline), s, base, org)


def optimise_result(key: str, job: background.Job) -> tuple[Scenario, ScenarioResult]:
    """The finished job's answer, with the server's own organisation object in it."""
    fixed, result = job.result()
    return fixed, replace(result, organisation=organisation(key))


def start_sweep(key: str, s: Scenario, counts: list[int]) -> background.Job:
    """Start a sweep of ``s`` over hub counts in a worker process, on the study engine.

    The job's result is a :class:`~footprint.hubs.sweep.SweepResult` (see
    :func:`footprint.study.interactive.hub_sweep`); the demo is rebuilt in the worker.
    """
    from footprint.study.interactive import hub_sweep

    return background.start(hub_sweep, s, counts, None if key == state.DEMO else organisation(key))


# --- reports -----------------------------------------------------------------------
def reports_available() -> bool:
    try:
        from footprint.reports import scenario_report  # noqa: F401
    except ImportError:
        return False
    return True


def scenario_report(result: ScenarioResult, fmt: str, sweep_result: Any = None) -> bytes:
    from footprint.reports import scenario_report as build

    return build(result, fmt, sweep=sweep_result)


def comparison_report(results: list[ScenarioResult], fmt: str) -> bytes:
    from footprint.reports import comparison_report as build

    return build(results, fmt)


def summary_json(result: ScenarioResult) -> bytes:
    from footprint.scenario.summary import result_to_dict

    return json.dumps(result_to_dict(result), indent=2, default=str).encode()


def hubs_dict(hubs: HubChoice) -> dict[str, Any]:
    return asdict(hubs)


# --- decisions (issue 15): attribution, cost, payback, target ---------------------------
@st.cache_resource(max_entries=32, show_spinner="Working out what drives the change and what it costs…")
def _decision(key: str, scenario_toml: str, baseline_toml: str, _result: ScenarioResult) -> Any:
    from footprint.decisions.decision import decision_or_none

    return decision_or_none(_result, parse_scenario(baseline_toml))


@st.cache_resource(max_entries=64, show_spinner=False)
def _appraisal(key: str, scenario_toml: str, baseline_toml: str, _result: ScenarioResult) -> Any:
    from footprint.decisions.costs import appraise

    r = _result
    return appraise(r.organisation, r.plan, r.footprint, r.baseline, r.scenario.policy,
                    baseline_policy=parse_scenario(baseline_toml).policy)


def appraisal(key: str, result: ScenarioResult, base: Scenario) -> Any:
    """Cost, payback and carbon payback of a result alone (milliseconds; no attribution)."""
    return _appraisal(key, scenario_to_toml(result.scenario), scenario_to_toml(base), result)


def decision(key: str, result: ScenarioResult, base: Scenario) -> Any:
    """The :class:`~footprint.decisions.Decision` of a result (None if its baseline is not reproduced)."""
    return _decision(key, scenario_to_toml(result.scenario), scenario_to_toml(base), result)


# --- who moves where ---------------------------------------------------------------
@st.cache_resource(max_entries=16, show_spinner=False)
def _flows(key: str, hubs_json: str, plan_json: str, policy_json: str, base_policy_json: str) -> Flows:
    s = Scenario(name="flows", hubs=_hubs_from_key(hubs_json), policy=policy_from_key(policy_json))
    return plan_flows(organisation(key), scenario_footprint(key, s),
                      baseline_footprint(key, policy_from_key(base_policy_json)))


def flows(key: str, s: Scenario, base: Scenario) -> Flows:
    """Staff moving office → hub under ``s``, one row per pair, largest first (see footprint.scenario.flows)."""
    return _flows(key, hubs_key(s.hubs), plan_policy_key(s.policy, s.hubs), policy_key(s.policy), policy_key(base.policy))


# --- uncertainty -----------------------------------------------------------------------
@st.cache_resource(max_entries=32, show_spinner=False)
def _uncertainty(key: str, hubs_json: str, plan_json: str, policy_json: str, base_policy_json: str) -> Any:
    from footprint.accounting.uncertainty import footprint_uncertainty

    s = Scenario(name="u", hubs=_hubs_from_key(hubs_json), policy=policy_from_key(policy_json))
    fp = scenario_footprint(key, s)
    base = baseline_footprint(key, policy_from_key(base_policy_json))
    return footprint_uncertainty(fp, None if fp is base else base)


def uncertainty(key: str, s: Scenario, base: Scenario) -> Any:
    """Monte Carlo 90 % intervals of the total (and change) of ``s`` (see footprint.accounting.uncertainty)."""
    return _uncertainty(key, hubs_key(s.hubs), plan_policy_key(s.policy, s.hubs), policy_key(s.policy),
                        policy_key(base.policy))


# --- quick re-optimisation (the Workshop's hub-count slider) ----------------------------
#: Time limit of the Workshop's quick re-optimisation [s]: the heuristic, offices whole.
QUICK_LIMIT_S = 0.35


@st.cache_resource(max_entries=4, show_spinner=False)
def _quick_costs(key: str, policy_json: str) -> Any:
    from footprint.hubs.costs import hub_costs

    policy = policy_from_key(policy_json)
    return hub_costs(organisation(key), policy, load_factor_set(policy.factor_set), keep_offices_whole=True)


@st.cache_resource(max_entries=64, show_spinner=False)
def _quick_hubs(key: str, policy_json: str, count: int) -> HubChoice:
    from footprint.hubs.model import optimise_hubs
    from footprint.scenario import OptimiserSettings

    policy = policy_from_key(policy_json)
    report = optimise_hubs(organisation(key), policy, count,
                           OptimiserSettings(method="heuristic", time_limit_s=QUICK_LIMIT_S),
                           keep_offices_whole=True, factors=load_factor_set(policy.factor_set),
                           costs=_quick_costs(key, policy_json))
    return HubChoice(selection="explicit", sites=report.footprint.open_site_ids, assignment="offices_whole",
                     office_to_hub=tuple(sorted(report.office_to_hub().items())))


def quick_hubs(key: str, policy: Policy, count: int) -> HubChoice:
    """``count`` hubs chosen by the fast heuristic (offices move whole, desk capacity respected).

    About a second on the demo once the costs for ``policy`` are built (cached); the
    Consolidate page runs the full optimiser with its proven gap.
    """
    return _quick_hubs(key, policy_key(policy), int(count))


def commute_time_changes(key: str, s: Scenario, base: Scenario) -> CommuteTimes:
    """Who gains and loses commute minutes under ``s`` (see footprint.scenario.flows.commute_times)."""
    return commute_times(scenario_footprint(key, s), baseline_footprint(key, base.policy))


# --- uncertainty with many draws (the Report page) ----------------------------------------
def start_many_draws(result: ScenarioResult, n_draws: int, seed: int) -> background.Job:
    """Start ``n_draws`` Monte Carlo draws of ``result`` (and its change) in a worker process.

    The job's result is an :class:`~footprint.accounting.uncertainty.UncertaintyResult`
    (see :func:`footprint.study.interactive.many_draws`: on the Dask cluster at
    ``DASK_SCHEDULER_ADDRESS`` when set, else serially in the worker).
    """
    from footprint.study.interactive import many_draws

    fp, base = result.footprint, result.baseline
    return background.start(many_draws, fp, None if fp is base else base, int(n_draws), int(seed))
