"""The comparison PDF's cost table: annual cost, one-off, payback, NPV and £/t avoided from ``decide``."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from footprint.decisions import decide
from footprint.inputs import Policy
from footprint.reports import comparison_report
from footprint.reports.pdf import comparison_cost_rows
from footprint.scenario.run import run_scenario
from footprint.scenario.schema import HubChoice, Scenario

# One hub at Reading for the toy's 20 staff: 12 desks × 12 m² + 500 m² at regional occupancy
# (377 × 1.555 rent and rates + 86 service charge) + hub energy (75 kWh × £0.21 + 80 kWh gas × £0.06)
READING_GBP = 644 * (377 * 1.555 + 86 + 75 * 0.21 + 80 * 0.06)


@pytest.fixture(scope="module")
def results(toy_org):
    two = Scenario(
        "London and Cambridge",
        policy=Policy(),
        hubs=HubChoice(selection="explicit", sites=("A", "C")),
    )
    one = Scenario(
        "Reading only",
        policy=Policy(),
        hubs=HubChoice(selection="explicit", sites=("B",)),
    )
    return [run_scenario(s, organisation=toy_org) for s in (two, one)]


def test_cost_rows_are_the_decision_values(results):
    rows = comparison_cost_rows(results, ["London and Cambridge", "Reading only"])
    for row, r in zip(rows, results, strict=True):
        a = decide(r).appraisal
        assert row == [
            r.scenario.name,
            f"{a.scenario.organisation_total:,.0f}",
            f"{a.move.total:,.0f}",
            "never" if a.payback_years is None else f"{a.payback_years:,.1f}",
            f"{a.npv_gbp:,.0f}",
            "n/a" if a.cost_per_tco2e_gbp is None else f"{a.cost_per_tco2e_gbp:,.0f}",
        ]
    # Reading alone: no business travel between hubs, so the annual cost is the hub's m² × its cost, by hand
    assert rows[1][1] == f"{READING_GBP:,.0f}" == "446,154"
    a = decide(results[1]).appraisal
    af = (1 - 1.035**-10) / 0.035  # 10 years at 3.5 %
    assert a.npv_gbp == pytest.approx(
        -a.move.total + (a.baseline.organisation_total - READING_GBP) * af
    )
    assert (
        rows[1][3]
        == f"{a.move.total / (a.baseline.organisation_total - READING_GBP):,.1f}"
    )


def test_comparison_pdf_has_the_cost_table(results):
    pdf = comparison_report(results, "pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Cost and payback" in text and "NPV over 10 years at 3.5 %" in text
    for row in comparison_cost_rows(results, ["London and Cambridge", "Reading only"]):
        assert " ".join(row[1:]) in text, row
