"""Consolidate: choose the number of hubs and constraints, run the optimiser on request."""

from dataclasses import replace

import numpy as np
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
                          format_func={"auto": "Auto", "heuristic": "Fast", "exact": "Exact"}.get,
                          help="Auto: the fast heuristic, then the exact solver (HiGHS) within the time limit. "
                               "Fast: the heuristic only. Exact: HiGHS with a proven gap.")
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
        old = st.session_state.get("optimise_job")
        if old is not None:
            old["job"].kill()
        # the solve runs in a worker process: other sessions keep their normal speed
        st.session_state.optimise_job = {"job": cached.start_optimise(key, todo, base), "count": int(count),
                                         "time_limit": float(time_limit)}


@st.fragment(run_every=0.5)
def _optimiser_progress() -> None:
    """Progress of the running optimisation, with Cancel; hands the answer to the page when done."""
    running = st.session_state.get("optimise_job")
    if running is None:
        return
    job = running["job"]
    if job.done:
        st.session_state.optimise_job = None
        with errors.guard("The optimiser"):
            fixed, result = cached.optimise_result(key, job)
            st.session_state.optimisation = {"report": result.optimisation, "hubs": fixed.hubs,
                                             "footprint": result.footprint, "count": running["count"],
                                             "cancelled": job.cancel_requested}
            state.set_scenario(replace(fixed, name=f"{running['count']} hubs (optimised)"))
            st.rerun(scope="app")
        return
    limit = running["time_limit"]
    note = " · stopping, keeping the best plan so far…" if job.cancel_requested else ""
    st.progress(min(max(job.fraction, 0.0), 1.0),
                text=f"{job.message} · {job.elapsed_s:.0f} s of {limit:.0f} s{note}")
    if st.button("Cancel", icon=":material/stop_circle:", key="c_cancel", disabled=job.cancel_requested,
                 help="Stop now and keep the best plan found so far"):
        job.cancel()


if st.session_state.get("optimise_job") is not None:  # polls only while a job runs (no reruns when idle)
    _optimiser_progress()

opt = st.session_state.get("optimisation")
if opt and opt["hubs"] == scenario.hubs and opt["report"] is not None:
    report = opt["report"]
    solver = report.solver
    st.subheader("Optimiser result")
    fp_opt = report.footprint
    m1, m2, m3 = st.columns(3)
    m1.metric("Hubs", f"{report.n_hubs}", border=True)
    m2.metric("Total, t CO₂e/yr", f"{fp_opt.total_tco2e:,.0f}", border=True,
              help="The full footprint of the plan, business travel included")
    m3.metric("Time", f"{report.seconds:.1f} s", border=True)
    verdict = solver.verdict()
    st.markdown(f"**How good is it?** {verdict[:1].upper() + verdict[1:]}"
                f"{' (stopped by you)' if opt.get('cancelled') and solver.status != 'cancelled' else ''}. "
                f"The optimiser minimises commuting and building energy; business travel is then improved by a "
                f"local search on the full footprint"
                f"{f' ({report.improving_swaps} improving swaps)' if report.improving_swaps else ''}.")
    if np.isfinite(solver.gap):
        st.caption(f"Proven: the best possible plan is at least {solver.bound / 1000:,.0f} t CO₂e/yr on the "
                   f"linear objective; this plan has {solver.objective / 1000:,.0f} t. The solver stops once the "
                   f"gap is within {100 * scenario.optimiser.mip_gap:g} % (the scenario's mip_gap).")
    with st.expander("Optimiser details"):
        st.text(report.summary())

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
charts.show_headline(fp, base_fp, cached.uncertainty(key, scenario, base).total)
with errors.guard("The map"):
    show_map(key, scenario, base, key="consolidate_map")
st.markdown(charts.commute_time_sentence(cached.commute_time_changes(key, scenario, base)))
st.altair_chart(charts.totals_chart({"Baseline": base_fp.total_tco2e, scenario.name: fp.total_tco2e}),
                width="stretch", alt="Total emissions, baseline against this scenario")
if st.button("Save for comparison", icon=":material/bookmark_add:", key="c_save"):
    st.toast(state.save_for_compare(scenario))
