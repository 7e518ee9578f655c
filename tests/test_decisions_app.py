"""The decision widgets in the app: payback in the Workshop headline, the waterfall, the cost table."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from footprint.decisions import decide
from footprint.decisions.report import gbp
from footprint.scenario import load_scenario
from footprint.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_workshop_shows_payback_and_what_drives_the_change(demo_org):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("app_pages/workshop.py").run()
    assert not at.exception, at.exception
    assert not any(s.value == "What drives the change" for s in at.subheader), "only on request"
    payback = {m.label: m.value for m in at.metric}["Payback [years]"]
    at.toggle(key="ws_explain").set_value(True).run()
    assert not at.exception, at.exception
    scenario = load_scenario(ROOT / "scenarios" / "hubs-30.toml")
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    d = decide(run_scenario(scenario, baseline=base, organisation=demo_org), base)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Payback [years]"] == payback == f"{d.appraisal.payback_years:,.1f}"
    assert metrics["One-off cost of the move [£]"] == gbp(d.appraisal.move.total)
    assert any(s.value == "What drives the change" for s in at.subheader)
    tables = [df.value for df in at.dataframe]
    effects = next(t for t in tables if "Effect" in t.columns)
    assert list(effects["Effect"]) == [e.name for e in d.attribution.effects] + [
        "Total change"
    ]
    assert effects["t CO₂e/yr"].iloc[-1] == pytest.approx(
        d.attribution.change_kgco2e / 1000, abs=1e-6
    )


@pytest.mark.slow
def test_compare_shows_cost_and_payback_for_each_scenario(demo_org):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="cmp_files").set_value(
        ["hubs-30.toml", "hybrid-video.toml"]
    ).run()
    at.button(key="cmp_add_files").click().run()
    assert not at.exception, at.exception
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    table = next(
        df.value
        for df in at.dataframe
        if "Payback [years]" in list(df.value.iloc[:, 0])
    )
    row = list(table.iloc[:, 0]).index("Payback [years]")
    for name in ("hubs-30.toml", "hybrid-video.toml"):
        s = load_scenario(ROOT / "scenarios" / name)
        d = decide(run_scenario(s, baseline=base, organisation=demo_org), base)
        assert table[s.name].iloc[row] == pytest.approx(
            d.appraisal.payback_years, rel=1e-9
        )
    assert len(at.tabs) >= 2  # one waterfall per scenario
