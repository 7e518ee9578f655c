"""XLSX workbooks: numbers equal the model's, layout, privacy, formula injection, zero lines."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from footprint.reports import comparison_report, scenario_report
from footprint.scenario import load_scenario, run_scenario, with_policy
from footprint.scenario.compare import comparison_rows
from footprint.scenario.summary import result_to_dict

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
HEAD = 4  # header row (1-based): title, note, blank, header


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(SCENARIOS / "hubs-30.toml"))


@pytest.fixture(scope="module")
def wb(result):
    return openpyxl.load_workbook(io.BytesIO(scenario_report(result, "xlsx")))


def records(ws) -> list[dict]:
    rows = list(ws.iter_rows(min_row=HEAD, values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_sheets(wb):
    for name in ("Inputs", "Policy", "Factors", "By scope", "By category", "Lines", "Business travel", "Per hub",
                 "Sites", "Staff by office", "Staff by area", "Commute", "Commute distribution", "Comparison"):
        assert name in wb.sheetnames


def test_category_numbers_equal_the_model(result, wb):
    d = result_to_dict(result)
    rows = {r["Category"]: r for r in records(wb["By category"])}
    for cat, value in d["footprint"]["by_category_tco2e"].items():
        assert rows[cat]["Scenario [t CO2e/yr]"] == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert rows[cat]["Baseline [t CO2e/yr]"] == pytest.approx(d["baseline"]["by_category_tco2e"][cat],
                                                                  rel=1e-12, abs=1e-12)
        assert isinstance(rows[cat]["Scenario [t CO2e/yr]"], int | float)  # a number (0 reads back as int)
    assert rows["Total"]["Scenario [t CO2e/yr]"] == pytest.approx(d["footprint"]["total_tco2e"], rel=1e-12)
    scopes = {r["Scope"]: r for r in records(wb["By scope"])}
    for scope, value in d["footprint"]["by_scope_tco2e"].items():
        assert scopes[scope]["Scenario [t CO2e/yr]"] == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_hubs_and_factors(result, wb):
    hubs = records(wb["Per hub"])
    fp = result.footprint
    assert len(hubs) == int(fp.sites.open.sum())
    assert sum(h["Floor area [m²]"] for h in hubs) == pytest.approx(fp.floor_area_m2)
    assert sum(h["Staff [people]"] for h in hubs) == pytest.approx(result.organisation.staff.total)
    # one key may have several rows (hotel_night: the UK and London), so match on the source too
    factors = {(r["Factor"], r["Source"]): r for r in records(wb["Factors"])}
    for f in fp.factors_used:
        assert factors[(f.key, f.source)]["Value"] == f.value
        assert factors[(f.key, f.source)]["Year"] == f.year


def test_layout(wb):
    for ws in wb.worksheets:
        assert ws.freeze_panes == f"A{HEAD + 1}", ws.title
        for cell in ws[HEAD]:
            assert cell.font.b, (ws.title, cell.value)
    assert wb["By category"].column_dimensions["B"].width >= 30
    headers = [c.value for c in wb["Per hub"][HEAD]]
    assert "Floor area [m²]" in headers and "Commuting [t CO2e/yr]" in headers
    assert wb["By category"].cell(HEAD + 1, 3).number_format == "#,##0.0"


def test_home_locations_only_on_request(result, wb):
    assert not any("Home latitude" in str(c.value) for ws in wb.worksheets for c in ws[HEAD])
    area = records(wb["Staff by area"])
    assert all(r["Cell south edge [° lat]"] is None or (r["Cell south edge [° lat]"] * 4) % 1 == 0 for r in area)
    assert all(r["Staff [people]"] >= 5 for r in area if r["Cell south edge [° lat]"] is not None)
    full = openpyxl.load_workbook(io.BytesIO(scenario_report(result, "xlsx", include_home_locations=True)))
    groups = records(full["Staff groups (personal)"])
    assert len(groups) == len(result.organisation.staff)
    assert groups[0]["Home latitude [°]"] == pytest.approx(float(result.organisation.staff.home_lat[0]))


def test_zero_business_travel_lines_listed():
    res = run_scenario(with_policy(load_scenario(SCENARIOS / "hubs-30.toml"), video_share=1.0))
    wb = openpyxl.load_workbook(io.BytesIO(scenario_report(res, "xlsx")))
    bt = {r["Item"]: r for r in records(wb["Business travel"])}
    assert set(bt) == {"Car (unknown fuel)", "National rail", "Air (with radiative forcing)", "Hotel nights"}
    assert all(r["Scenario [t CO2e/yr]"] == 0 for r in bt.values())
    cats = {r["Category"]: r for r in records(wb["By category"])}
    assert cats["Scope 3 cat. 6: business travel"]["Scenario [t CO2e/yr]"] == 0


EVIL = ("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR")


def evil_result(result):
    org = result.organisation
    names = tuple(EVIL[k % len(EVIL)] if k < 40 else n for k, n in enumerate(org.sites.name))
    sites = replace(org.sites, name=names)
    org2 = replace(org, name="=cmd|' /C calc'!A0", sites=sites)
    scen = replace(result.scenario, name="@evil scenario", description="-2+3 description")
    return replace(result, scenario=scen, organisation=org2)


def test_formula_injection_neutralised(result):
    bad = evil_result(result)
    for data in (scenario_report(bad, "xlsx"), comparison_report([bad, result], "xlsx")):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        seen = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, cell.value)
                        seen += cell.value.startswith("'")
        assert seen > 0
    wb = openpyxl.load_workbook(io.BytesIO(scenario_report(bad, "xlsx")))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "'=HYPERLINK(\"http://x\",\"y\")" in values and "'@evil scenario" in values


def test_comparison_workbook(result):
    other = run_scenario(load_scenario(SCENARIOS / "hybrid-video.toml"))
    wb = openpyxl.load_workbook(io.BytesIO(comparison_report([result, other], "xlsx")))
    rows = records(wb["Comparison"])
    expected = comparison_rows([result, other])
    assert [r["Metric"] for r in rows] == [label for label, _u, _v in expected]
    for r, (_label, _unit, values) in zip(rows, expected, strict=True):
        assert r[result.scenario.name] == pytest.approx(values[0], rel=1e-12, abs=1e-12)
        assert r[other.scenario.name] == pytest.approx(values[1], rel=1e-12, abs=1e-12)
    assert wb["Comparison"].freeze_panes == f"A{HEAD + 1}"


def test_uncertainty_sheet_matches_the_model():
    from openpyxl import load_workbook

    from footprint.accounting.uncertainty import footprint_uncertainty
    result = run_scenario(load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "hubs-30.toml"))
    wb = load_workbook(io.BytesIO(scenario_report(result, "xlsx")), data_only=True)
    ws = wb["Uncertainty"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    u = footprint_uncertainty(result.footprint, result.baseline)
    central, p05, _p50, p95 = rows["Change (scenario − baseline)"]
    assert central == pytest.approx((result.footprint.total_kgco2e - result.baseline.total_kgco2e) / 1000)
    assert (p05, p95) == (pytest.approx(u.change.p05), pytest.approx(u.change.p95))
    assert p05 < central < p95
