"""CSV exports: UTF-8 tables with headers, numbers equal the model's, injection, privacy."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from footprint.reports import (
    comparison_report,
    results_csv,
    scenario_csv_tables,
    scenario_report,
)
from footprint.reports.safety import FORMULA_PREFIXES, neutralise, safe_cell
from footprint.scenario import load_scenario, run_scenario
from footprint.scenario.summary import result_to_dict

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(SCENARIOS / "hubs-30.toml"))


def read(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_zip_of_utf8_tables(result):
    data = scenario_report(result, "csv")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        for key in ("by_category.csv", "by_scope.csv", "lines.csv", "business_travel.csv", "hubs.csv",
                    "staff_by_area.csv", "commute_distribution.csv", "factors.csv", "policy.csv", "inputs.csv"):
            assert key in names
        for name in names:
            raw = zf.read(name)
            assert not raw.startswith(b"\xef\xbb\xbf")
            text = raw.decode("utf-8")
            assert "\n" in text and text.splitlines()[0]
    assert scenario_report(result, "csv") == data  # deterministic


def test_results_csv_numbers_equal_the_model(result):
    d = result_to_dict(result)
    rows = {r["Category"]: r for r in read(results_csv(result))}
    for cat, value in d["footprint"]["by_category_tco2e"].items():
        assert float(rows[cat]["Scenario [t CO2e/yr]"]) == value
        assert float(rows[cat]["Change [t CO2e/yr]"]) == pytest.approx(d["change"]["by_category_tco2e"][cat],
                                                                       abs=1e-9)
    assert float(rows["Total"]["Scenario [t CO2e/yr]"]) == pytest.approx(d["footprint"]["total_tco2e"],
                                                                          rel=1e-12)
    tables = scenario_csv_tables(result)
    assert tables["by_category.csv"] == results_csv(result)
    hubs = read(tables["hubs.csv"])
    assert "Floor area [m²]" in hubs[0]
    assert sum(float(h["Floor area [m²]"]) for h in hubs) == pytest.approx(result.footprint.floor_area_m2)


def test_no_home_coordinates_by_default(result):
    default = scenario_csv_tables(result)
    assert "staff_groups.csv" not in default
    assert all(b"Home latitude" not in v for v in default.values())
    full = scenario_csv_tables(result, include_home_locations=True)
    rows = read(full["staff_groups.csv"])
    assert len(rows) == len(result.organisation.staff)
    assert float(rows[0]["Home longitude [°]"]) == pytest.approx(float(result.organisation.staff.home_lon[0]))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_dangerous_prefixes(text):
    assert neutralise(text) == "'" + text
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Leeds", "", "'=already", "a=b", 3.0, -2.5, None, True])
def test_safe_values_unchanged(value):
    assert safe_cell(value) == value


def test_csv_injection_in_user_data(result):
    org = result.organisation
    sites = replace(org.sites, name=("=HYPERLINK(\"http://x\")", "@x", *org.sites.name[2:]))
    bad = replace(result, organisation=replace(org, sites=sites),
                  scenario=replace(result.scenario, name="+evil", description="\tdesc"))
    for data in (scenario_report(bad, "csv"), comparison_report([bad, result], "csv")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                for row in csv.reader(io.StringIO(zf.read(name).decode("utf-8"))):
                    for cell in row:
                        if cell.startswith(FORMULA_PREFIXES):
                            float(cell)  # only plain numbers (e.g. -12.5) may start with "-"
    moves = read(scenario_csv_tables(bad)["staff_moves.csv"])
    assert "'=HYPERLINK(\"http://x\")" in {m["Current office name"] for m in moves}


def test_comparison_csv(result):
    other = run_scenario(load_scenario(SCENARIOS / "hybrid-video.toml"))
    with zipfile.ZipFile(io.BytesIO(comparison_report([result, other], "csv"))) as zf:
        rows = read(zf.read("comparison.csv"))
    total = next(r for r in rows if r["Metric"] == "Total")
    assert float(total[result.scenario.name]) == pytest.approx(result.footprint.total_tco2e, rel=1e-12)
    assert float(total[other.scenario.name]) == pytest.approx(other.footprint.total_tco2e, rel=1e-12)
