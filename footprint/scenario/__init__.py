"""Scenarios: files that say which organisation, which policy and which hubs."""

from footprint.scenario.files import (
    load_scenario,
    parse_scenario,
    save_scenario,
    scenario_to_toml,
)
from footprint.scenario.run import (
    ScenarioResult,
    load_organisation,
    optimise_scenario,
    prepare_worker,
    run_scenario,
    with_policy,
)
from footprint.scenario.schema import (
    HubChoice,
    OptimiserSettings,
    OrganisationRef,
    Scenario,
)

__all__ = [
    "HubChoice",
    "OptimiserSettings",
    "OrganisationRef",
    "Scenario",
    "ScenarioResult",
    "load_organisation",
    "load_scenario",
    "parse_scenario",
    "optimise_scenario",
    "prepare_worker",
    "run_scenario",
    "save_scenario",
    "scenario_to_toml",
    "with_policy",
]
