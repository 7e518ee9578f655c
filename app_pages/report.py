"""Report: PDF, XLSX and CSV of the current scenario or the comparison; scenario files."""

import re

import streamlit as st

from app_pages import cached, errors, state, workspace
from footprint.errors import InputError
from footprint.scenario import parse_scenario, scenario_to_toml

key = state.org_key()
scenario = state.scenario()
base = state.baseline()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "scenario"


MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "application/zip"}
LABEL = {"pdf": "PDF report", "xlsx": "Excel workbook (XLSX)", "csv": "CSV tables (zip)"}

st.title("Report")
st.caption(f"Current scenario: **{scenario.name}** · baseline: {base.name}")

try:
    opt = st.session_state.get("optimisation")
    report = opt["report"] if opt and opt["hubs"] == scenario.hubs else None
    result = cached.current_result(key, scenario, base, report)
except cached.NeedsOptimiser as need:
    st.info(f"The current scenario asks for {need.count} optimised hubs: run the optimiser on Consolidate first.")
    st.page_link("app_pages/consolidate.py", label="Go to Consolidate", icon=":material/hub:")
    st.stop()

sweep = st.session_state.get("sweep")
sweep_result = sweep["result"] if sweep and sweep["org_key"] == key and sweep["policy"] == scenario.policy else None

st.subheader("This scenario")
row = st.container(horizontal=True)
if cached.reports_available():
    for fmt in ("pdf", "xlsx", "csv"):
        row.download_button(
            LABEL[fmt], data=lambda fmt=fmt: cached.scenario_report(result, fmt, sweep_result),
            file_name=f"{slug(scenario.name)}.{'zip' if fmt == 'csv' else fmt}", mime=MIME[fmt],
            on_click="ignore", icon=":material/download:", key=f"rep_{fmt}", type="primary" if fmt == "pdf" else
            "secondary")
else:
    with row:
        errors.not_available("PDF, XLSX and CSV reports")
row.download_button("Scenario file (TOML)", data=scenario_to_toml(scenario), file_name=f"{slug(scenario.name)}.toml",
                    mime="application/toml", on_click="ignore", icon=":material/description:", key="rep_toml")
row.download_button("Results (JSON)", data=lambda: cached.summary_json(result),
                    file_name=f"{slug(scenario.name)}.json", mime="application/json", on_click="ignore",
                    icon=":material/data_object:", key="rep_json")
st.caption("The scenario file reproduces this scenario: load it here or on Compare, or run "
           f"`python -m footprint run {slug(scenario.name)}.toml` from the command line."
           + (" The reports include the trade-off sweep." if sweep_result is not None else ""))

saved = state.saved()
st.subheader("The comparison")
if len(saved) < 2:
    st.info("Save at least two scenarios (Workshop, Consolidate or Compare) to download a comparison report.",
            icon=":material/compare_arrows:")
elif not cached.reports_available():
    errors.not_available("The comparison report")
else:
    with errors.guard("The comparison"):
        results = [cached.run_saved(key, s, base) for s in saved if s.hubs.selection != "optimise"]
        row = st.container(horizontal=True)
        for fmt in ("pdf", "xlsx", "csv"):
            row.download_button(
                f"Comparison: {LABEL[fmt]}", data=lambda fmt=fmt: cached.comparison_report(results, fmt),
                file_name=f"comparison.{'zip' if fmt == 'csv' else fmt}", mime=MIME[fmt], on_click="ignore",
                icon=":material/download:", key=f"cmp_{fmt}")

st.subheader("Scenario files")
c1, c2 = st.columns(2)
with c1:
    up = st.file_uploader("Open a scenario file [.toml]", type=["toml"], key="rep_upload",
                          help="Replaces the current scenario; an invalid file changes nothing")
    if up is not None and st.button("Open this scenario", key="rep_open", icon=":material/file_open:"):
        try:
            loaded = parse_scenario(up.getvalue().decode("utf-8", errors="replace"), source=up.name)
        except InputError as e:
            errors.show_problems(e.problems, f"{up.name} is not a valid scenario file")
        else:
            state.set_scenario(loaded)
            st.success(f"Opened “{loaded.name}”.", icon=":material/check:")
with c2:
    workspace.save_controls(scenario, result)  # the workspace, not the server's scenarios/ folder
