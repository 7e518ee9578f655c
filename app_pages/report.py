"""Report: PDF, XLSX and CSV of the current scenario or the comparison; scenario files."""

import re

import pandas as pd
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


# --- uncertainty with many draws: a worker process (the study engine), polled below -------------
DRAW_CHOICES = (10_000, 100_000, 1_000_000)
ident = (key, scenario_to_toml(scenario), scenario_to_toml(base))
quick = cached.uncertainty(key, scenario, base)
st.subheader("How sure: more draws")
st.caption(f"The pages show a 90 % interval from {quick.n_draws:,} Monte Carlo draws (seed {quick.seed}). "
           "More draws steady the interval's ends; they run in a worker process (on the Dask cluster at "
           "`DASK_SCHEDULER_ADDRESS` when the server has one), so the app stays responsive.")
with st.form("draws_form", border=True):
    c1, c2 = st.columns(2)
    n_draws = c1.selectbox("Draws", DRAW_CHOICES, key="u_draws", format_func="{:,}".format)
    seed = c2.number_input("Seed", 0, 2**31 - 1, 0, 1, key="u_seed",
                           help="Draw d uses SeedSequence(seed, spawn_key=(d,)): the same seed gives the same "
                                "interval anywhere")
    go = st.form_submit_button("Run more draws", icon=":material/casino:")
if go:
    old = st.session_state.get("draws_job")
    if old is not None:
        old["job"].kill()
    st.session_state.draws_job = {"job": cached.start_many_draws(result, int(n_draws), int(seed)), "for": ident,
                                  "n": int(n_draws)}


@st.fragment(run_every=0.5)
def _draws_progress() -> None:
    """Progress of the running draws, with Cancel; hands the answer to the page when done."""
    running = st.session_state.get("draws_job")
    if running is None:
        return
    job = running["job"]
    if job.done:
        st.session_state.draws_job = None
        with errors.guard("The draws"):
            st.session_state.many_draws = {"result": job.result(), "for": running["for"]}
            st.rerun(scope="app")
        return
    note = " · stopping after this block, keeping the finished draws…" if job.cancel_requested else ""
    st.progress(min(max(job.fraction, 0.0), 1.0),
                text=f"Drawing {running['n']:,} times: {job.message} · {job.elapsed_s:.0f} s{note}")
    if st.button("Cancel", icon=":material/stop_circle:", key="u_cancel", disabled=job.cancel_requested,
                 help="Stop after the block being drawn and show the interval of the draws finished so far"):
        job.cancel()


_draws_progress()

many = st.session_state.get("many_draws")
if many is not None and many["for"] == ident:
    u = many["result"]
    rows = [("Scenario total", u.total)]
    if u.change is not None:
        rows.append(("Change (scenario − baseline)", u.change))
    rows += [(f"  {c}", iv) for c, iv in u.by_category.items() if iv.p95 > 0]
    table = pd.DataFrame([(name, iv.p05, iv.p50, iv.p95) for name, iv in rows],
                         columns=["Quantity", "5th percentile [t CO₂e/yr]", "Median [t CO₂e/yr]",
                                  "95th percentile [t CO₂e/yr]"])
    st.dataframe(table, hide_index=True, width="stretch", key="u_table",
                 column_config={c: st.column_config.NumberColumn(format="%,.0f") for c in table.columns[1:]})
    st.caption(f"**{u.n_draws:,} draws, seed {u.seed}.** {u.method}. The PDF, XLSX and CSV reports above still "
               f"carry their own {quick.n_draws:,}-draw interval (the report functions take no uncertainty result "
               "yet); these intervals download here.")
    st.download_button("Intervals (CSV)", data=table.to_csv(index=False).encode("utf-8"),
                       file_name=f"{slug(scenario.name)}-{u.n_draws}-draws.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key="u_csv")

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
