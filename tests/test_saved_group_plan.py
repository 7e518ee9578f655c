"""A plan made by staff group, saved, reproduces every group's hub from the file alone.

The demo by staff group with 30 hubs and desk capacities splits many offices between
hubs; the saved scenario keeps each office's main hub (``office_to_hub``) and the groups
that go elsewhere (``group_to_hub``), so running the file gives the optimiser's
assignment exactly, and the same footprint.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from footprint.errors import ScenarioError
from footprint.scenario import (
    HubChoice,
    OptimiserSettings,
    Scenario,
    load_scenario,
    optimise_scenario,
    run_scenario,
    save_scenario,
)


@pytest.mark.slow
def test_by_group_plan_round_trips_through_the_file(tmp_path: Path) -> None:
    asked = Scenario(name="by group", hubs=HubChoice(selection="optimise", count=30, assignment="nearest"),
                     optimiser=OptimiserSettings(method="heuristic", time_limit_s=20))
    fixed, result = optimise_scenario(asked)
    moves = dict(fixed.hubs.group_to_hub)
    assert len(moves) > 100  # the optimiser split offices: groups that do not follow their office
    path = tmp_path / "by-group.toml"
    save_scenario(fixed, path)
    again = run_scenario(load_scenario(path))
    np.testing.assert_array_equal(again.footprint.groups.site, result.footprint.groups.site)
    assert again.footprint.total_kgco2e == pytest.approx(result.footprint.total_kgco2e, rel=1e-12)
    # without the groups' table the offices' main hubs alone give another plan
    office_only = replace(fixed, hubs=replace(fixed.hubs, group_to_hub=()))
    other = run_scenario(office_only)
    assert not np.array_equal(other.footprint.groups.site, result.footprint.groups.site)


def test_an_unknown_group_is_named(tmp_path: Path) -> None:
    s = Scenario(name="x", hubs=HubChoice(selection="explicit", sites=("UK001",),
                                          group_to_hub=(("UK999|car|51.5000,-0.1000", "UK001"),)))
    path = tmp_path / "x.toml"
    save_scenario(s, path)
    with pytest.raises(ScenarioError, match=r"1 staff group\(s\) are not in the organisation's staff: "
                                            r"'UK999\|car\|51.5000,-0.1000'") as err:
        run_scenario(load_scenario(path))
    assert err.value.problems[0].field == "hubs.group_to_hub"
