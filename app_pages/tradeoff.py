"""Trade-off: sweep the number of hubs; Pareto chart of emissions against commute, knee marked."""

from dataclasses import replace

import streamlit as st

from app_pages import cached, charts, errors, state
from footprint.scenario import HubChoice, OptimiserSettings


def tradeoff_verdict(points: list, front: tuple[int, ...], knee: int | None, y: str,
                     today_tco2e: float) -> tuple[str, str]:
    """The sweep's answer in words, from its front and knee on (emissions, ``y``); and the box kind."""
    what = {"mean_commute_km": "mean commute", "staff_over_60_min": "staff over 60 min"}[y]

    def burden(p: object) -> str:
        v = getattr(p, y)
        return f"{v:.1f} km" if y == "mean_commute_km" else f"{v:,.0f} staff over 60 min"

    def vs_today(t: float) -> str:
        d = 100.0 * (t / today_tco2e - 1.0) if today_tco2e else 0.0
        return f"{abs(d):.1f} % {'below' if d < 0 else 'above'} today's {today_tco2e:,.0f} t"

    if not front:
        return "No feasible point in this sweep: widen the range or relax the constraints.", "info"
    if len(front) == 1:
        p = points[front[0]]
        return (f"**No trade-off in this sweep:** {p.n_hubs} hubs has both the lowest emissions "
                f"({p.total_tco2e:,.0f} t CO₂e/yr, {vs_today(p.total_tco2e)}) and the lowest {what} "
                f"({burden(p)}); no other count is better on either.", "info")
    lo, hi = points[front[0]], points[front[-1]]
    if knee is None:
        return (f"**A trade-off between {len(front)} points only:** {lo.n_hubs} hubs gives the lowest emissions "
                f"({lo.total_tco2e:,.0f} t, {burden(lo)}), {hi.n_hubs} hubs the lowest {what} "
                f"({hi.total_tco2e:,.0f} t, {burden(hi)}). Too few points for a knee: narrow the step.", "info")
    k = points[knee]
    return (f"**Trade-off:** lower emissions cost a longer {what} across {len(front)} of {len(points)} points. "
            f"The knee, where further cuts start to cost much more commute, is at **{k.n_hubs} hubs**: "
            f"{k.total_tco2e:,.0f} t CO₂e/yr ({vs_today(k.total_tco2e)}), {burden(k)}.", "success")


key = state.org_key()
scenario = state.scenario()
org = cached.organisation(key)
n_candidates = int(org.sites.can_be_hub.sum())

st.title("Trade-off: how many hubs?")
st.caption("Each number of hubs is optimised under the current scenario's policy. The chart puts each answer's "
           "total emissions against its commute burden, and says whether one can be cut only at the other's cost.")

# the form is seeded from the session (a copied link, or the last run) and its values go into the link
defaults = {"t_from": min(5, n_candidates), "t_to": min(60, n_candidates), "t_step": 5, "t_time": 5.0,
            "t_method": "heuristic", "t_whole": True}
inputs = st.session_state.setdefault("sweep_inputs", {})
for wkey, default in defaults.items():
    if wkey not in st.session_state:
        v = inputs.get(wkey, default)  # a count kept from other data may exceed this data's offices
        st.session_state[wkey] = min(v, n_candidates) if wkey in ("t_from", "t_to", "t_step") else v
with st.form("sweep_form", border=True):
    c1, c2, c3, c4 = st.columns(4)
    lo = c1.number_input("From [hubs]", 1, n_candidates, step=1, key="t_from")
    hi = c2.number_input("To [hubs]", 1, n_candidates, step=1, key="t_to")
    step = c3.number_input("Step [hubs]", 1, max(1, n_candidates), step=1, key="t_step")
    per_point = c4.number_input("Time limit per point [s]", *state.SWEEP_TIME_S, step=1.0, key="t_time")
    c5, c6 = st.columns(2)
    method = c5.selectbox("Method", list(state.SWEEP_METHODS), key="t_method",
                          format_func={"auto": "Auto", "heuristic": "Fast", "exact": "Exact"}.get)
    whole = c6.checkbox("Offices move as a whole", key="t_whole")
    run = st.form_submit_button("Run sweep", type="primary", icon=":material/play_arrow:")
st.session_state.sweep_inputs = {wkey: st.session_state[wkey] for wkey in defaults}
state.set_page_params(state.tradeoff_to_params(st.session_state.sweep_inputs))

if run:
    counts = list(range(int(min(lo, hi)), int(max(lo, hi)) + 1, int(step)))
    if not cached.sweep_available():
        errors.not_available("The hub-count sweep")
    else:
        todo = replace(scenario, optimiser=OptimiserSettings(method=method, time_limit_s=float(per_point)),
                       hubs=HubChoice(selection="optimise", count=counts[0],
                                      assignment="offices_whole" if whole else "nearest"))
        old = st.session_state.get("sweep_job")
        if old is not None:
            old["job"].kill()
        # the sweep runs in a worker process (the study engine): other sessions keep their speed
        st.session_state.sweep_job = {"job": cached.start_sweep(key, todo, counts), "policy": scenario.policy,
                                      "budget": float(per_point) * len(counts), "points": len(counts)}


@st.fragment(run_every=0.5)
def _sweep_progress() -> None:
    """Progress of the running sweep, with Stop; hands the answer to the page when done."""
    running = st.session_state.get("sweep_job")
    if running is None:
        return
    job = running["job"]
    if job.done:
        st.session_state.sweep_job = None
        with errors.guard("The sweep"):
            st.session_state.sweep = {"result": job.result(), "org_key": key, "policy": running["policy"]}
            st.rerun(scope="app")
        return
    note = " · stopping after this point, keeping the finished ones…" if job.cancel_requested else ""
    st.progress(min(max(job.fraction, 0.0), 1.0),
                text=f"Sweeping {running['points']} hub counts: {job.message} · {job.elapsed_s:.0f} s "
                     f"(at most about {running['budget']:.0f} s){note}")
    if st.button("Stop", icon=":material/stop_circle:", key="t_cancel", disabled=job.cancel_requested,
                 help="Stop after the point being solved and show the points finished so far"):
        job.cancel()


if st.session_state.get("sweep_job") is not None:  # polls only while a job runs (no reruns when idle)
    _sweep_progress()


def _show_sweep(sweep: dict) -> None:
    """The sweep's verdict, chart and table."""
    if sweep["org_key"] != key or sweep["policy"] != scenario.policy:
        st.warning("This sweep was run with other data or another policy; run it again to update it.",
                   icon=":material/history:")

    result = sweep["result"]
    y = st.segmented_control("Commute burden on the vertical axis", list(charts.PARETO_Y), key="t_y",
                             format_func={"mean_commute_km": "Mean commute", "staff_over_60_min": "Staff over 60 min"}.get,
                             default="mean_commute_km") or "mean_commute_km"
    # one source of truth: the front and knee of emissions against the chosen commute burden
    front, knee = result.front("total_tco2e", y)
    today = cached.baseline_footprint(key, state.baseline().policy).total_tco2e
    verdict, kind = tradeoff_verdict(list(result.points), front, knee, y, today)
    {"success": st.success, "info": st.info}[kind](verdict, icon=":material/my_location:")
    df = charts.pareto_frame(result.points, front, knee, y)
    st.altair_chart(charts.pareto_chart(df, y), width="stretch",
                    alt="Total emissions against commute burden, one point per number of hubs; the Pareto front "
                        "joined by a line, the knee marked")
    st.dataframe(charts.sweep_table(result.points, front, knee), hide_index=True, width="stretch",
                 column_config={
                     "Total [t CO₂e/yr]": st.column_config.NumberColumn(format="%,d"),
                     "Staff over 60 min": st.column_config.NumberColumn(format="%,d"),
                     "Floor area [m²]": st.column_config.NumberColumn(format="%,d"),
                     "Proven gap": st.column_config.TextColumn(
                         help="Proven distance from the best possible plan (the exact solver); the fast heuristic "
                              "proves none")})


sweep = st.session_state.get("sweep")
if sweep:
    _show_sweep(sweep)
else:  # no st.stop(): the app still writes the link after the page
    st.info("Choose a range of hub counts and press **Run sweep**.", icon=":material/show_chart:")
