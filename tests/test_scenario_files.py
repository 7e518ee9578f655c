"""Scenario files: load, validate, run, save; the round trip is exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.errors import ScenarioError
from footprint.scenario import (
    load_scenario,
    parse_scenario,
    run_scenario,
    save_scenario,
    scenario_to_toml,
)

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.toml"))


def test_there_are_shipped_scenarios():
    names = {p.name for p in SCENARIOS}
    assert {"baseline.toml", "hubs-30.toml", "hybrid-video.toml"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_round_trip_is_exact(path, tmp_path):
    s = load_scenario(path)
    out = save_scenario(s, tmp_path / path.name)
    again = load_scenario(out)
    assert again == s
    assert scenario_to_toml(again) == scenario_to_toml(s)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, source="x.toml")
    return [str(p) for p in e.value.problems]


GOOD = 'schema_version = 1\nname = "t"\n'


def test_unknown_keys_are_named_with_what_is_allowed():
    got = problems(GOOD + "[policy]\noffice_day_per_week = 2\n")
    assert got[0].startswith("x.toml, field 'policy.office_day_per_week': unknown key; allowed keys in [policy]:")
    got = problems(GOOD + "colour = 'red'\n")
    assert got[0].startswith("x.toml, field 'colour': unknown key; allowed top-level keys: schema_version")


def test_wrong_types_and_ranges():
    assert problems(GOOD + "[policy]\nvideo_share = 'high'\n") == [
        "x.toml, field 'policy.video_share': must be a number [share], got 'high'"]
    assert problems(GOOD + "[policy]\noffice_days_per_week = 7\n") == [
        "x.toml, field 'policy.office_days_per_week': 7 is out of range; allowed 0 to 5 [days/week]"]
    assert problems(GOOD + "[hubs]\nselection = 'largest'\n") == [
        "x.toml, field 'hubs.count': selection 'largest' needs count ≥ 1 hubs"]
    assert problems(GOOD + "[hubs]\ncount = 'ten'\n") == [
        "x.toml, field 'hubs.count': must be a whole number, got 'ten'"]


def test_schema_version_and_syntax():
    assert problems('name = "t"\n') == [
        "x.toml, field 'schema_version': must be 1 (this version of Footprint reads schema 1)"]
    got = problems(GOOD + "[policy\n")
    assert got[0].startswith("x.toml: is not valid TOML:") and "line 3" in got[0]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(tmp_path / "nope.toml")
    assert str(e.value.problems[0]).endswith("nope.toml: file not found; check the path")


def test_unknown_hub_site_is_named(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(GOOD + "[hubs]\nselection = 'explicit'\nsites = ['UK001', 'UK999']\n")
    with pytest.raises(ScenarioError) as e:
        run_scenario(load_scenario(p))
    assert "site id 'UK999' is not in the organisation's sites" in str(e.value.problems[0])


def test_hubs_30_runs_against_its_baseline():
    r = run_scenario(load_scenario(SCENARIOS[[p.name for p in SCENARIOS].index("hubs-30.toml")]))
    assert r.baseline_name == "Baseline: today's estate"
    assert int(r.footprint.sites.open.sum()) == 30
    assert int(r.baseline.sites.open.sum()) == 320
    assert r.footprint.total_kgco2e < r.baseline.total_kgco2e
    assert r.footprint.factor_set_id == "desnz-2025"


def test_scenario_docs_list_every_policy_key():
    from footprint.inputs.policy import POLICY_FIELDS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    missing = [k for k in POLICY_FIELDS if f"| `{k}` |" not in doc]
    assert not missing, f"docs/scenario-files.md is stale; run tools/make_scenario_docs.py ({missing})"


def test_shipped_optimised_scenario_respects_capacities():
    path = Path(__file__).resolve().parents[1] / "scenarios" / "hubs-30-optimised.toml"
    r = run_scenario(load_scenario(path))
    assert int(r.footprint.sites.open.sum()) == 30
    assert not r.footprint.sites.over_capacity.any()
    assert r.scenario.hubs.office_to_hub  # the optimiser's moves, so the file reproduces its plan
    assert r.footprint.total_kgco2e < r.baseline.total_kgco2e
