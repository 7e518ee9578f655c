"""Consolidate: choose the number of hubs and constraints, run the optimiser on request."""

import time
from dataclasses import replace

import streamlit as st

from app_pages import cached, charts, errors, state
from app_pages.map import show_map
from footprint.scenario import HubChoice, OptimiserSettings

key = state.org_key()
scenario = state.scenario()
base = state.baseline()
org = cached.organisation(key)
n_candidates = int((org.sites.can_be_hub).sum())

st.title("Consolidate into hubs")

with st.form("optimise_form", border=True):
    c1, c2, c3 = st.columns(3)
    default_k = scenario.hubs.count or min(30, n_candidates)
    count = c1.number_input("Number of hubs [sites]", 1, max(1, n_candidates), min(default_k, n_candidates), 1,
                            key="c_count", help="How many sites stay open as hubs")
    assignment = c2.radio("Who goes where", ["offices_whole", "nearest"], key="c_assignment",
                          index=0 if scenario.hubs.assignment == "offices_whole" else 1,
                          format_func={"offices_whole": "Each office moves as a whole",
                                       "nearest": "Each staff group to its nearest hub"}.get)
    method = c3.selectbox("Method", ["auto", "heuristic", "exact"], key="c_method",
                          format_func={"auto": "Auto (fast heuristic, then exact)", "heuristic": "Heuristic (fast)",
                                       "exact": "Exact (HiGHS, proven gap)"}.get)
    c4, c5, c6 = st.columns(3)
    time_limit = c4.number_input("Time limit [s]", 1.0, 600.0, float(min(scenario.optimiser.time_limit_s, 60.0)), 5.0,
                                 key="c_time", help="The optimiser stops here and reports its best answer and gap")
    weight = c5.number_input("Commute weight [kg CO₂e per person-km]", 0.0, 100.0,
                             float(scenario.optimiser.commute_weight_kg_per_km), 0.05, key="c_weight",
                             help="Extra weight on commute burden on top of real emissions (0 = emissions only)")
    capacity = c6.checkbox("Respect desk capacity", value=scenario.optimiser.respect_capacity, key="c_capacity")
    buttons = st.container(horizontal=True)
    with buttons:
        run = st.form_submit_button("Run optimiser", type="primary", icon=":material/play_arrow:", key="c_run")
        largest = st.form_submit_button("Use the largest offices instead (no optimiser)", key="c_largest",
                                        icon=":material/format_list_numbered:")
if largest:
    state.set_scenario(replace(scenario, name=f"{int(count)} largest offices",
                               hubs=HubChoice(selection="largest", count=int(count), assignment=assignment)))
    st.session_state.optimisation = None
    scenario = state.scenario()

if run:
    if not cached.optimiser_available():
        errors.not_available("The hub optimiser")
    else:
        settings = OptimiserSettings(method=method, time_limit_s=float(time_limit),
                                     commute_weight_kg_per_km=float(weight), respect_capacity=bool(capacity))
        todo = replace(scenario, name=f"{int(count)} hubs (optimised)", optimiser=settings,
                       hubs=HubChoice(selection="optimise", count=int(count), assignment=assignment))
        bar = st.progress(0.0, text="Starting the optimiser…")
        started = time.monotonic()

        def progress(fraction: float, message: str) -> bool:
            bar.progress(min(max(float(fraction), 0.0), 1.0),
                         text=f"{message} · {time.monotonic() - started:.0f} s of {time_limit:.0f} s")
            return time.monotonic() - started > float(time_limit) + 5.0  # hard stop past the limit

        with errors.guard("The optimiser"):
            fixed, result = cached.optimise(key, todo, base, progress)
            bar.progress(1.0, text=f"Done in {time.monotonic() - started:.1f} s")
            st.session_state.optimisation = {"report": result.optimisation, "hubs": fixed.hubs,
                                             "footprint": result.footprint, "count": int(count)}
            state.set_scenario(fixed)
            scenario = fixed

opt = st.session_state.get("optimisation")
if opt and opt["hubs"] == scenario.hubs and opt["report"] is not None:
    solver = getattr(opt["report"], "solver", None)
    st.subheader("Optimiser result")
    if solver is not None:
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Status", str(solver.status), border=True)
        m2.metric("Objective [t CO₂e/yr-eq]", f"{solver.objective / 1000:,.0f}", border=True)
        m3.metric("Best bound [t CO₂e/yr-eq]",
                  f"{solver.bound / 1000:,.0f}" if solver.bound is not None else "—", border=True)
        m4.metric("Optimality gap [%]", f"{100 * solver.gap:.2f}" if solver.gap is not None else "—", border=True,
                  help="How far the answer can be from the best possible, proven by the bound")
        st.caption(f"Method: {solver.method} · {solver.seconds:.1f} s")
    if hasattr(opt["report"], "summary"):
        with st.expander("Optimiser summary"):
            st.text(opt["report"].summary())

try:
    plan = cached.plan(key, scenario)
except cached.NeedsOptimiser as need:
    st.info(f"This scenario asks for {need.count} optimised hubs: press **Run optimiser** above.",
            icon=":material/hub:")
    st.stop()
fp = cached.scenario_footprint(key, scenario)
base_fp = cached.baseline_footprint(key, base.policy)

st.subheader(f"Current scenario: {scenario.name}")
st.caption(f"{plan.n_open} sites open · {plan.label}")
charts.show_headline(fp, base_fp)
with errors.guard("The map"):
    show_map(org, plan, fp, key="consolidate_map")
st.altair_chart(charts.totals_chart({"Baseline": base_fp.total_tco2e, scenario.name: fp.total_tco2e}),
                width="stretch", alt="Total emissions, baseline against this scenario")
if st.button("Save for comparison", icon=":material/bookmark_add:", key="c_save"):
    st.toast(state.save_for_compare(scenario))
