"""Trade-off: sweep the number of hubs; Pareto chart of emissions against commute, knee marked."""

import time

import pandas as pd
import streamlit as st

from app_pages import cached, charts, errors, state
from footprint.scenario import OptimiserSettings

key = state.org_key()
scenario = state.scenario()
org = cached.organisation(key)
n_candidates = int(org.sites.can_be_hub.sum())

st.title("Trade-off: how many hubs?")
st.caption("Each hub count is optimised under the current scenario's policy. Fewer hubs cut building emissions "
           "but lengthen commutes; the knee is where adding hubs stops paying off.")

with st.form("sweep_form", border=True):
    c1, c2, c3, c4 = st.columns(4)
    lo = c1.number_input("From [hubs]", 1, n_candidates, min(5, n_candidates), 1, key="t_from")
    hi = c2.number_input("To [hubs]", 1, n_candidates, min(60, n_candidates), 1, key="t_to")
    step = c3.number_input("Step [hubs]", 1, max(1, n_candidates), 5, 1, key="t_step")
    per_point = c4.number_input("Time limit per point [s]", 1.0, 300.0, 5.0, 1.0, key="t_time")
    c5, c6 = st.columns(2)
    method = c5.selectbox("Method", ["heuristic", "auto", "exact"], key="t_method")
    whole = c6.checkbox("Offices move as a whole", value=True, key="t_whole")
    run = st.form_submit_button("Run sweep", type="primary", icon=":material/play_arrow:")

if run:
    counts = list(range(int(min(lo, hi)), int(max(lo, hi)) + 1, int(step)))
    if not cached.sweep_available():
        errors.not_available("The hub-count sweep")
    else:
        settings = OptimiserSettings(method=method, time_limit_s=float(per_point))
        bar = st.progress(0.0, text=f"Sweeping {len(counts)} hub counts…")
        started = time.monotonic()
        budget = float(per_point) * len(counts) + 10.0

        def progress(fraction: float, message: str) -> bool:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{message} · {time.monotonic() - started:.0f} s")
            return time.monotonic() - started > budget

        with errors.guard("The sweep"):
            result = cached.sweep(key, scenario.policy, counts, settings, keep_offices_whole=bool(whole),
                                  progress=progress)
            bar.progress(1.0, text=f"Done in {time.monotonic() - started:.1f} s")
            st.session_state.sweep = {"result": result, "org_key": key, "policy": scenario.policy}

sweep = st.session_state.get("sweep")
if not sweep:
    st.info("Choose a range of hub counts and press **Run sweep**.", icon=":material/show_chart:")
    st.stop()
if sweep["org_key"] != key or sweep["policy"] != scenario.policy:
    st.warning("This sweep was run with other data or another policy; run it again to update it.",
               icon=":material/history:")

result = sweep["result"]
df = charts.pareto_frame(result.points, result.knee_index)
y = st.segmented_control("Commute burden on the vertical axis", list(charts.PARETO_Y), key="t_y",
                         format_func={"mean_commute_km": "Mean commute", "staff_over_60_min": "Staff over 60 min"}.get,
                         default="mean_commute_km") or "mean_commute_km"
st.altair_chart(charts.pareto_chart(df, y), width="stretch",
                alt="Pareto front: total emissions against commute burden for each number of hubs, knee marked")
if result.knee_index is not None:
    knee = df.iloc[int(result.knee_index)]
    st.success(f"Knee at **{int(knee.n_hubs)} hubs**: {knee.total_tco2e:,.0f} t CO₂e/yr, mean commute "
               f"{knee.mean_commute_km:.1f} km, {knee.staff_over_60_min:,.0f} staff over 60 min.",
               icon=":material/my_location:")
else:
    st.info("No knee in this sweep: the points do not trade emissions against commute (one improves as the "
            "other does, or there are too few points). Widen the range or change the policy.",
            icon=":material/info:")
if hasattr(result, "front"):
    label = {"mean_commute_km": "mean commute", "staff_over_60_min": "staff over 60 min"}[y]
    front, front_knee = result.front("total_tco2e", y)
    where = (f"its knee is at **{result.points[front_knee].n_hubs} hubs**" if front_knee is not None
             else "it has no knee (too few points or no trade-off)")
    st.caption(f"Emissions against {label}: {len(front)} of {len(result.points)} points are on the Pareto front "
               f"(neither lower without the other rising); {where}. The table marks both fronts.")
table = pd.DataFrame(result.to_rows()) if hasattr(result, "to_rows") else df
st.dataframe(table, hide_index=True, width="stretch")
