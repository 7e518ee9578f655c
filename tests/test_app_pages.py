"""AppTest tests of every page: widgets move the right numbers, checked against ``footprint``.

The numbers on screen are compared with the same quantities computed directly
with ``footprint`` (``account`` on the same plan and policy), so the app can only
pass by drawing what the model says.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import cached, state
from footprint.accounting import account, current_plan
from footprint.demo import demo_organisation
from footprint.errors import InputError, Problem
from footprint.hubs.nearest_with_room import nearest_with_room
from footprint.scenario import (
    HubChoice,
    Scenario,
    load_scenario,
    run_scenario,
    scenario_to_toml,
)
from footprint.scenario.run import largest_offices

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["overview", "data", "consolidate", "workshop", "tradeoff", "compare", "report"]


@pytest.fixture(scope="module")
def org():
    return demo_organisation()


@pytest.fixture(scope="module")
def base_policy():
    return load_scenario(ROOT / "scenarios" / "baseline.toml").policy


@pytest.fixture(scope="module")
def hubs30(org):
    s = load_scenario(ROOT / "scenarios" / "hubs-30.toml")
    # the scenario's plan: the 30 largest offices, staff to the nearest hub with room
    return s, nearest_with_room(org, s.policy, largest_offices(org, 30))


def app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def metric(at: AppTest, label_start: str) -> str:
    for m in at.metric:
        if m.label.startswith(label_start):
            return m.value
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def t(x_kg: float) -> str:
    return f"{x_kg / 1000:,.0f}"


# --- every page ------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_errors(page):
    at = app(page)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


def test_overview_shows_the_baseline_footprint(org, base_policy):
    at = app()
    fp = account(org, base_policy, current_plan(org))
    assert metric(at, "Total") == t(fp.total_kgco2e)
    assert metric(at, "Mean commute") == f"{fp.commute.mean_min:.0f}"
    assert metric(at, "Offices") == f"{int(org.sites.is_office.sum()):,}"
    assert len(at.get("deck_gl_json_chart")) == 1, "one map"


# --- workshop ----------------------------------------------------------------------
def test_workshop_default_matches_the_cli_scenario(org, hubs30):
    at = app("workshop")
    s, plan = hubs30
    result = run_scenario(s, organisation=org)
    assert metric(at, "Total") == f"{result.footprint.total_tco2e:,.0f}"
    pct = 100 * (result.footprint.total_kgco2e / result.baseline.total_kgco2e - 1)
    assert metric(at, "Change vs baseline") == f"{pct:+.1f} %"


@pytest.mark.parametrize(
    ("field", "shown", "model"),
    [
        ("office_days_per_week", 2.0, 2.0),
        ("video_share", 70.0, 0.7),
        # below 1/peak (0.83) sharing cannot cut desks under an average day's attendees (issue 14 item 12)
        ("desk_sharing_ratio", 1.0, 1.0),
        ("m2_per_desk", 9.0, 9.0),
        ("hub_electricity_kwh_per_m2", 40.0, 40.0),
    ],
)
def test_workshop_slider_moves_the_numbers(org, hubs30, field, shown, model):
    at = app("workshop")
    before = metric(at, "Total")
    at.slider(key=state.widget_key(field)).set_value(shown).run()
    assert not at.exception
    s, _ = hubs30
    policy = replace(s.policy, **{field: model})
    # desks per person move the plan too: staff go to the nearest hub with room
    plan = nearest_with_room(org, policy, largest_offices(org, 30))
    fp = account(org, policy, plan)
    assert metric(at, "Total") == f"{fp.total_tco2e:,.0f}"
    assert metric(at, "Total") != before
    assert metric(at, "Floor area") == f"{fp.floor_area_m2:,.0f}"
    assert at.session_state.scenario.policy == replace(s.policy, **{field: model})


def test_workshop_factor_set_and_radiative_forcing(org, hubs30):
    at = app("workshop")
    at.select_slider(key=state.widget_key("factor_set")).set_value("desnz-2024").run()
    at.toggle(key=state.widget_key("radiative_forcing")).set_value(False).run()
    s, plan = hubs30
    fp = account(org, replace(s.policy, factor_set="desnz-2024", radiative_forcing=False), plan)
    assert metric(at, "Total") == f"{fp.total_tco2e:,.0f}"


def test_workshop_values_survive_a_page_switch(org, hubs30):
    at = app("workshop")
    at.slider(key=state.widget_key("office_days_per_week")).set_value(1.5).run()
    shown = metric(at, "Total")
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/workshop.py").run()
    assert at.slider(key=state.widget_key("office_days_per_week")).value == 1.5
    assert metric(at, "Total") == shown


def test_shared_link_reproduces_the_scenario(org):
    at = app("workshop", office_days_per_week="2", video_share="0.5", hubs="largest:20:nearest", name="Shared")
    s = at.session_state.scenario
    assert (s.name, s.policy.office_days_per_week, s.policy.video_share) == ("Shared", 2.0, 0.5)
    plan = nearest_with_room(org, s.policy, largest_offices(org, 20))
    assert metric(at, "Total") == f"{account(org, s.policy, plan).total_tco2e:,.0f}"
    assert at.slider(key=state.widget_key("video_share")).value == 50.0


def test_bad_link_falls_back_and_says_why():
    at = app("workshop", office_days_per_week="9", hubs="largest:30:nearest")
    assert at.session_state.scenario.policy.office_days_per_week == 3.0
    assert at.session_state.url_problems
    assert not at.error


def test_query_params_round_trip_explicit_hubs(org):
    moves = (("UK100", "UK001"), ("UK200", "UK002"))
    s = Scenario(name="x", hubs=HubChoice(selection="explicit", sites=("UK001", "UK002"), office_to_hub=moves))
    s = replace(s, policy=replace(s.policy, office_days_per_week=2.5, radiative_forcing=False))
    params = state.scenario_to_params(s)
    back, key, problems = state.scenario_from_params(params, Scenario(name="fallback"))
    assert not problems and key == state.DEMO
    assert back.hubs == s.hubs and back.policy == s.policy and back.name == "x"


# --- consolidate -------------------------------------------------------------------
def test_consolidate_largest_offices_button(org, hubs30):
    at = app("consolidate")
    at.number_input(key="c_count").set_value(12)
    at.button(key="c_largest").click().run()
    assert not at.exception
    s = at.session_state.scenario
    assert (s.hubs.selection, s.hubs.count) == ("largest", 12)
    plan = nearest_with_room(org, s.policy, largest_offices(org, 12))
    assert metric(at, "Total") == f"{account(org, s.policy, plan).total_tco2e:,.0f}"


def test_consolidate_runs_the_optimiser_or_says_not_yet(org):
    at = app("consolidate")
    at.number_input(key="c_count").set_value(8)
    at.selectbox(key="c_method").set_value("heuristic")
    at.number_input(key="c_time").set_value(10.0)
    at.radio(key="c_assignment").set_value("offices_whole")
    at.button(key="c_run").click().run()
    assert not at.exception
    if not cached.optimiser_available():
        assert any("not available yet" in i.value for i in at.info)
        return
    # the solve runs in a worker process; the page polls it (a fragment) until the answer is in
    deadline = time.monotonic() + 120
    while at.session_state.optimise_job is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    s = at.session_state.scenario
    assert s.hubs.selection == "explicit" and len(s.hubs.sites) == 8
    verdict = next(m.value for m in at.markdown if "How good is it?" in m.value)
    assert "nan" not in verdict and "heuristic" in verdict
    fp = account(org, s.policy, cached.plan(state.DEMO, s))
    assert metric(at, "Total") == f"{fp.total_tco2e:,.0f}"
    # the saved (explicit) scenario reproduces the optimiser's own footprint
    assert fp.total_tco2e == pytest.approx(at.session_state.optimisation["footprint"].total_tco2e, rel=1e-9)


# --- trade-off ---------------------------------------------------------------------
def test_tradeoff_sweep_or_not_yet():
    at = app("tradeoff")
    at.number_input(key="t_from").set_value(5)
    at.number_input(key="t_to").set_value(15)
    at.number_input(key="t_step").set_value(5)
    at.number_input(key="t_time").set_value(3.0)
    at.button[0].click().run()
    assert not at.exception
    if not cached.sweep_available():
        assert any("not available yet" in i.value for i in at.info)
        return
    assert not at.error, [e.value for e in at.error]
    # the sweep runs in a worker process (the study engine); the page polls it until the answer is in
    deadline = time.monotonic() + 180
    while at.session_state.sweep_job is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert not at.exception
    result = at.session_state.sweep["result"]
    assert [p.n_hubs for p in result.points] == [5, 10, 15]
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    front, knee = result.front("total_tco2e", "mean_commute_km")
    table = at.dataframe[0].value
    assert table["Hubs"].tolist() == [5, 10, 15]
    assert (table["On the front"] != "no").sum() == len(front), "the table marks the same front the box describes"
    boxes = [b.value for b in (*at.success, *at.info)]
    if knee is not None:
        assert any(f"**{result.points[knee].n_hubs} hubs**" in b for b in boxes)
    else:
        assert any(b.startswith(("**No trade-off", "**A trade-off between")) for b in boxes)


# --- compare -----------------------------------------------------------------------
def test_compare_side_by_side_matches_run_scenario(org):
    at = app("compare")
    at.multiselect(key="cmp_files").set_value(["hubs-30.toml", "hybrid-video.toml"]).run()
    at.button(key="cmp_add_files").click().run()
    assert not at.exception and not at.error
    assert [s.name for s in at.session_state.saved] == ["30 hubs", "30 hubs, 2 office days, 70 % video"]
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    for name in ("hubs-30.toml", "hybrid-video.toml"):
        s = load_scenario(ROOT / "scenarios" / name)
        r = run_scenario(s, baseline=base, organisation=org)
        assert metric(at, s.name) == f"{r.footprint.total_tco2e:,.0f}"
    table = at.dataframe[0].value
    assert list(table.columns[2:]) == ["30 hubs", "30 hubs, 2 office days, 70 % video"]


def test_compare_rejects_an_invalid_upload_with_row_level_problems():
    at = app("compare")
    at.file_uploader(key="cmp_upload").upload("bad.toml", b'schema_version = 1\nname = "x"\n[policy]\nvideo_share = 3\n')
    at.run()
    at.button(key="cmp_add_upload").click().run()
    assert not at.exception
    assert at.error and "not valid" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["file", "row", "field", "message"]
    assert problems.iloc[0]["field"] == "policy.video_share"
    assert at.session_state.saved == []


# --- report ------------------------------------------------------------------------
def test_report_offers_downloads_and_keeps_scenario_on_bad_file():
    at = app("report")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Scenario file (TOML)" in labels
    if cached.reports_available():
        assert {"PDF report", "Excel workbook (XLSX)", "CSV tables (zip)"} <= set(labels)
    before = at.session_state.scenario
    at.file_uploader(key="rep_upload").upload("broken.toml", b"this is [not toml")
    at.run()
    at.button(key="rep_open").click().run()
    assert not at.exception
    assert at.error and at.session_state.scenario == before


def test_report_opens_a_valid_scenario_file():
    at = app("report")
    text = scenario_to_toml(load_scenario(ROOT / "scenarios" / "hybrid-video.toml"))
    at.file_uploader(key="rep_upload").upload("hv.toml", text.encode())
    at.run()
    at.button(key="rep_open").click().run()
    assert at.session_state.scenario.name == "30 hubs, 2 office days, 70 % video"
    assert at.success


# --- data ----------------------------------------------------------------------------
def _imports():
    return pytest.importorskip("footprint.imports", reason="the import layer is not there yet")


def test_data_page_offers_templates():
    _imports()
    at = app("data")
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Offices template (CSV)", "Staff template (XLSX)"} <= set(labels)


def _upload(at: AppTest, offices: bytes, staff: bytes) -> AppTest:
    at.file_uploader(key="d_sites").upload("offices.csv", offices, "text/csv")
    at.file_uploader(key="d_staff").upload("staff.csv", staff, "text/csv")
    return at.button(key="FormSubmitter:upload_form-Validate and load").click().run()


def test_data_upload_loads_a_valid_organisation():
    imports = _imports()
    offices, staff = imports.template_bytes("offices", "csv"), imports.template_bytes("staff", "csv")
    at = _upload(app("data"), offices, staff)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state.org_key.startswith("ws:")  # kept in a workspace (issue 13)
    sites = imports.read_sites(offices, "offices.csv").table
    org = imports.build_organisation(sites, imports.read_staff(staff, "staff.csv", site_ids=sites.site_id).table,
                                     name="My organisation")
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    fp = account(org, load_scenario(ROOT / "scenarios" / "baseline.toml").policy, current_plan(org))
    assert metric(at, "Total") == f"{fp.total_tco2e:,.0f}"


def test_data_upload_with_bad_rows_changes_nothing():
    imports = _imports()
    offices = imports.template_bytes("offices", "csv").replace(b"51.5155", b"north", 1)
    at = _upload(app("data"), offices, imports.template_bytes("staff", "csv"))
    assert not at.exception
    assert at.session_state.org_key == state.DEMO
    problems = at.dataframe[0].value
    assert (problems.iloc[0]["row"], problems.iloc[0]["field"]) == ("2", "lat")


# --- errors --------------------------------------------------------------------------
def _raises_input_error():
    import streamlit as st  # noqa: F401

    from app_pages import errors
    from footprint.errors import InputError, Problem

    with errors.guard("Reading"):
        raise InputError([Problem("must be a number", "offices.csv", 3, "lat")])


def _raises_bug():
    from app_pages import errors

    with errors.guard("Drawing"):
        raise RuntimeError("boom")


def test_input_errors_show_a_problem_table():
    at = AppTest.from_function(_raises_input_error).run()
    assert not at.exception
    assert at.error
    row = at.dataframe[0].value.iloc[0]
    assert (row["file"], row["row"], row["field"]) == ("offices.csv", "3", "lat")


def test_unexpected_errors_are_friendly():
    at = AppTest.from_function(_raises_bug).run()
    assert not at.exception
    assert at.error[0].value.startswith("Sorry")
    assert "RuntimeError: boom" in at.code[0].value


def test_problems_frame_columns():
    df = __import__("app_pages.errors", fromlist=["problems_frame"]).problems_frame(
        InputError([Problem("bad", "f.csv", 2, "x")]).problems)
    assert df.to_dict("records") == [{"file": "f.csv", "row": 2, "field": "x", "message": "bad"}]


# --- issue 12: headline, hub-count slider, names ------------------------------------
def test_workshop_hub_slider_reoptimises_and_the_name_follows(org):
    at = app("workshop")
    at.slider(key=state.widget_key("hubs")).set_value(12).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    s = at.session_state.scenario
    assert s.hubs.selection == "explicit" and len(s.hubs.sites) == 12 and s.hubs.assignment == "offices_whole"
    assert s.name == f"12 hubs, 3 office days, {s.policy.video_share:.0%} video".replace("%", " %")
    assert at.text_input(key=state.widget_key("name")).value == s.name
    fp = account(org, s.policy, cached.plan(state.DEMO, s))
    assert metric(at, "Total") == f"{fp.total_tco2e:,.0f}"
    # a typed name stays when a lever moves
    at.text_input(key=state.widget_key("name")).input("My plan").run()
    at.slider(key=state.widget_key("video_share")).set_value(60.0).run()
    assert at.session_state.scenario.name == "My plan"


def test_headline_sentence_says_change_commute_and_interval(org, hubs30):
    at = app("workshop")
    s, plan = hubs30
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    fp, bfp = account(org, s.policy, plan), account(org, base.policy, current_plan(org))
    pct = 100 * (fp.total_kgco2e / bfp.total_kgco2e - 1)
    sentence = next(m.value for m in at.markdown if "t CO₂e" in m.value and "90 % interval" in m.value)
    assert sentence.startswith(f"**{pct:+.1f} % t CO₂e** ({bfp.total_tco2e:,.0f} → {fp.total_tco2e:,.0f} t a year")
    assert f"{fp.commute.staff_longer:,.0f} staff commute further" in sentence
    assert f"{bfp.commute.mean_min:.0f} → {fp.commute.mean_min:.0f} min" in sentence


def _point(n: int, t: float, km: float, over60: float, gap: float | None = None):
    from footprint.hubs.sweep import SweepPoint

    return SweepPoint(n_hubs=n, commute_weight_kg_per_km=0.0, total_tco2e=t, mean_commute_km=km,
                      median_commute_km=km, staff_over_60_min=over60, floor_area_m2=1000.0 * n,
                      linear_objective_tco2e=t, gap=gap, status="feasible", seconds=1.0, hub_ids=())


def _tradeoff_with(points) -> AppTest:
    from footprint.hubs.sweep import SweepResult

    at = app("tradeoff")
    result = SweepResult(points=tuple(points), pareto=(), knee_index=None, seconds=1.0)
    at.session_state.sweep = {"result": result, "org_key": state.DEMO, "policy": at.session_state.scenario.policy}
    return at.run()


def test_tradeoff_says_plainly_when_there_is_no_tradeoff():
    # more hubs: lower emissions AND shorter commutes, so the last point dominates all
    at = _tradeoff_with([_point(5, 120_000, 40.0, 9000), _point(10, 100_000, 30.0, 7000),
                         _point(20, 90_000, 25.0, 5000)])
    assert not at.exception and not at.error
    box = at.info[0].value
    assert box.startswith("**No trade-off in this sweep:** 20 hubs has both the lowest emissions (90,000 t CO₂e/yr")
    assert "25.0 km" in box
    assert not at.success, "no knee is claimed"
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["Hubs", "Total [t CO₂e/yr]", "Mean commute [km]"]
    assert table["On the front"].tolist() == ["no", "no", "yes"]
    assert table["Proven gap"].tolist() == ["not proven"] * 3, "no gap proven: said so, not 'None'"


def test_tradeoff_names_the_knee_of_the_same_front_it_draws():
    # fewer hubs: lower emissions but longer commutes; the knee at 10 hubs
    at = _tradeoff_with([_point(5, 80_000, 60.0, 9000, 0.001), _point(10, 82_000, 30.0, 6000, 0.002),
                         _point(20, 90_000, 26.0, 5000), _point(40, 100_000, 24.0, 4000)])
    assert not at.exception and not at.error
    box = at.success[0].value
    assert box.startswith("**Trade-off:** lower emissions cost a longer mean commute across 4 of 4 points.")
    assert "**10 hubs**: 82,000 t CO₂e/yr" in box and "30.0 km" in box
    table = at.dataframe[0].value
    assert table["On the front"].tolist() == ["yes", "knee", "yes", "yes"]
    assert table["Proven gap"].tolist()[:2] == ["0.10 %", "0.20 %"]


def test_compare_draws_the_baseline_once_and_no_arrow_on_no_change(org):
    at = app("compare")
    at.multiselect(key="cmp_files").set_value(["baseline.toml", "hubs-30.toml"]).run()
    at.button(key="cmp_add_files").click().run()
    assert not at.exception and not at.error
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    labels = [m.label for m in at.metric]
    assert labels == [base.name, "30 hubs"], "the saved baseline takes the baseline's place"
    assert at.metric[0].delta in (None, "")
    assert len(at.get("deck_gl_json_chart")) == 2, "two maps side by side"
    r = run_scenario(load_scenario(ROOT / "scenarios" / "hubs-30.toml"), baseline=base, organisation=org)
    assert at.metric[1].delta == f"{r.footprint.total_tco2e - r.baseline.total_tco2e:+,.0f} t vs baseline"
    for s in at.session_state.saved:  # descriptions end on a whole word
        shown = next(m.value for m in at.markdown if m.value.startswith("**") and s.name in m.value)
        if len(s.description) > 160:
            assert shown.endswith(" …") and shown[:-2].split()[-1] in s.description.split()


def test_workshop_on_a_scenario_that_needs_the_optimiser():
    at = app("workshop", hubs="optimise:20:offices_whole")
    assert any("optimiser to choose 20 hubs" in i.value for i in at.info)
    at.slider(key=state.widget_key("video_share")).set_value(60.0).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state.scenario.name == "20 hubs, 3 office days, 60 % video"
    at.slider(key=state.widget_key("hubs")).set_value(15).run()  # the quick path answers it
    assert not at.exception and not at.error
    assert len(at.session_state.scenario.hubs.sites) == 15 and not at.info


# --- links from Trade-off and Compare (issue 12 item 6) -----------------------------
def test_tradeoff_link_fills_the_form_and_stays_in_the_link():
    at = app("tradeoff", name="Shared", hubs="largest:20:nearest", sw_from="10", sw_to="40", sw_step="10",
             sw_time="7", sw_method="exact", sw_whole="false")
    assert not at.session_state.url_problems
    got = {k: at.number_input(key=k).value for k in ("t_from", "t_to", "t_step", "t_time")}
    assert got == {"t_from": 10, "t_to": 40, "t_step": 10, "t_time": 7.0}
    assert at.selectbox(key="t_method").value == "exact"
    assert at.checkbox(key="t_whole").value is False
    # the page writes its form back into the link, next to the scenario's own parameters
    qp = at.query_params
    assert (qp["sw_from"], qp["sw_to"], qp["sw_method"], qp["sw_whole"]) == ("10", "40", "exact", "false")
    assert (qp["name"], qp["hubs"]) == ("Shared", "largest:20:nearest")
    # a changed form changes the link once submitted; other pages do not carry it
    at.number_input(key="t_step").set_value(5)
    at.button(key="FormSubmitter:sweep_form-Run sweep").click().run()
    assert at.query_params["sw_step"] == "5"
    if at.session_state.get("sweep_job") is not None:
        at.session_state.sweep_job["job"].kill()
    at.switch_page("app_pages/overview.py").run()
    assert "sw_from" not in at.query_params
    at.switch_page("app_pages/tradeoff.py").run()  # the form comes back as it was
    assert at.number_input(key="t_step").value == 5 and at.number_input(key="t_from").value == 10


def test_tradeoff_bad_link_values_fall_back_and_say_why():
    at = app("tradeoff", sw_from="ten", sw_to="9999", sw_step="5", sw_time="-1", sw_method="fastest",
             sw_whole="maybe")
    assert not at.exception and not at.error
    fields = {p.field: p.message for p in at.session_state.url_problems}
    assert set(fields) == {"sw_from", "sw_to", "sw_time", "sw_method", "sw_whole"}
    assert "'9999' is not between 1 and 320" in fields["sw_to"]
    assert at.number_input(key="t_from").value == 5 and at.number_input(key="t_to").value == 60
    assert at.number_input(key="t_step").value == 5 and at.number_input(key="t_time").value == 5.0
    assert at.selectbox(key="t_method").value == "heuristic" and at.checkbox(key="t_whole").value is True
    shown = at.expander[0]
    assert shown.label.startswith("The shared link had problems")
    assert set(shown.dataframe[0].value["field"]) == set(fields)


@pytest.mark.slow
def test_compare_link_opens_the_same_comparison():
    chosen = [load_scenario(ROOT / "scenarios" / n) for n in ("hubs-30.toml", "hybrid-video.toml")]
    at = app("compare", cmp=state.compared_to_param(chosen), cmp_maps="2,1")
    assert not at.exception and not at.session_state.url_problems
    def what(items):  # what a comparison shows (a scenario file's own path to its baseline is not sent)
        return [(s.name, s.description, s.policy, s.hubs, s.optimiser) for s in items]

    assert what(at.session_state.saved) == what(chosen)
    maps = [at.selectbox(key=f"cmp_map_pick_{i}").value for i in (0, 1)]
    assert maps == [chosen[1].name, chosen[0].name]
    # and the page writes the same comparison back into the link
    back, problems = state.compared_from_param(at.query_params["cmp"])
    assert what(back) == what(chosen) and not problems and at.query_params["cmp_maps"] == "2,1"


def test_compare_bad_link_says_why_and_shows_no_comparison():
    good = state.compared_to_param([load_scenario(ROOT / "scenarios" / "hubs-30.toml")])
    at = app("compare", cmp="not-a-list", cmp_maps="0,7")
    assert not at.exception and not at.error
    fields = sorted(p.field for p in at.session_state.url_problems)
    assert fields == ["cmp", "cmp_maps"] and at.session_state.saved == []
    assert any("Add scenarios above" in i.value for i in at.info)
    at = app("compare", cmp=good, cmp_maps="x")
    assert [p.field for p in at.session_state.url_problems] == ["cmp_maps"]
    assert [at.selectbox(key=f"cmp_map_pick_{i}").value for i in (0, 1)] == ["Baseline: today's estate",
                                                                          "30 hubs"]
