"""The Report page's "More draws": many Monte Carlo draws in a worker process, polled by the page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from footprint.demo import demo_organisation
from footprint.scenario import load_scenario, run_scenario
from footprint.study.interactive import uncertainty_study

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
RUN = "FormSubmitter:draws_form-Run more draws"

pytestmark = pytest.mark.slow


def wait(at: AppTest, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while at.session_state.draws_job is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert at.session_state.draws_job is None, "the draws did not finish"
    assert not at.exception, at.exception


def test_more_draws_show_the_interval_of_uncertainty_study_and_cancel_keeps_the_finished_draws():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/report.py").run()
    assert not at.exception, at.exception
    r = run_scenario(
        at.session_state.scenario,
        baseline=load_scenario(ROOT / "scenarios" / "baseline.toml"),
        organisation=demo_organisation(),
    )

    # 10,000 draws with seed 11: the page shows what uncertainty_study gives directly
    at.number_input(key="u_seed").set_value(11)
    at.selectbox(key="u_draws").set_value(10_000)
    at.button(key=RUN).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    wait(at)
    u = at.session_state.many_draws["result"]
    direct = uncertainty_study(r.footprint, r.baseline, n_draws=10_000, seed=11)
    assert u == direct  # the same draws, whatever the worker's block size
    table = next(d.value for d in at.dataframe if "Quantity" in d.value.columns)
    total = table[table["Quantity"] == "Scenario total"].iloc[0]
    change = table[table["Quantity"] == "Change (scenario − baseline)"].iloc[0]
    assert tuple(total.iloc[1:4]) == (
        direct.total.p05,
        direct.total.p50,
        direct.total.p95,
    )
    assert tuple(change.iloc[1:4]) == (
        direct.change.p05,
        direct.change.p50,
        direct.change.p95,
    )
    assert any("10,000 draws, seed 11" in c.value for c in at.caption)
    assert "Intervals (CSV)" in [b.proto.label for b in at.get("download_button")]

    # 1,000,000 draws, cancelled after the first blocks: the draws finished so far
    at.number_input(key="u_seed").set_value(0)
    at.selectbox(key="u_draws").set_value(1_000_000)
    at.button(key=RUN).click().run()
    deadline = time.monotonic() + 60
    while (
        at.session_state.draws_job["job"].fraction <= 0 and time.monotonic() < deadline
    ):
        time.sleep(0.3)
        at.run()
    at.button(key="u_cancel").click().run()
    wait(at)
    part = at.session_state.many_draws["result"]
    assert (
        0 < part.n_draws < 1_000_000 and part.n_draws % 10_000 == 0
    )  # whole blocks: draws 0 to n - 1
    assert part == uncertainty_study(
        r.footprint, r.baseline, n_draws=part.n_draws, seed=0
    )
    assert any(f"{part.n_draws:,} draws, seed 0" in c.value for c in at.caption)
