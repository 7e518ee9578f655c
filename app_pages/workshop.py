"""Workshop: sliders on a fixed hub set; headline numbers respond at once.

No slider re-optimises: each change rebuilds the policy and re-runs the
accounting (``footprint.accounting.account``) on the scenario's fixed plan.
"""

from dataclasses import replace

import streamlit as st

from app_pages import cached, charts, decisions, state

key = state.org_key()
scenario = state.scenario()
base = state.baseline()

st.title("Workshop")
headline = st.container()

# --- sliders (seeded from the scenario, written back to it) ------------------------
values = {}
with st.container(border=True):
    cols = st.columns(3)
    for i, field in enumerate(state.WORKSHOP_SLIDERS):
        spec = state.slider_spec(field)
        scale = spec.pop("scale")
        k = state.seed_widget(field, float(getattr(scenario.policy, field)) * scale)
        values[field] = cols[i % 3].slider(**spec, key=k) / scale
    sets = cached.factor_sets()
    k = state.seed_widget("factor_set", scenario.policy.factor_set if scenario.policy.factor_set in sets else sets[0])
    values["factor_set"] = cols[0].select_slider("Emission factors [publisher and year]", options=sets, key=k,
                                                 format_func=cached.factor_label,
                                                 help="The factor set used for every emission line")
    k = state.seed_widget("radiative_forcing", scenario.policy.radiative_forcing)
    values["radiative_forcing"] = cols[1].toggle("Radiative forcing on flights", key=k,
                                                 help="Include the non-CO₂ effects of flying (DESNZ recommends it)")
    k = state.seed_widget("include_homeworking", scenario.policy.include_homeworking)
    values["include_homeworking"] = cols[2].toggle("Count homeworking emissions", key=k,
                                                   help="GHG Protocol cat. 7, optional")

    k = state.seed_widget("name", scenario.name)
    name = st.text_input("Scenario name", key=k, max_chars=80).strip() or scenario.name

state.set_policy(replace(scenario.policy, **values))
if name != state.scenario().name:
    state.set_scenario(replace(state.scenario(), name=name), reset_widgets=False)
scenario = state.scenario()

try:
    plan = cached.plan(key, scenario)
except cached.NeedsOptimiser as need:
    headline.info(f"This scenario asks the optimiser to choose {need.count} hubs. Run it on the Consolidate "
                  "page; the sliders then work on the hubs it chose.", icon=":material/hub:")
    st.page_link("app_pages/consolidate.py", label="Go to Consolidate", icon=":material/hub:")
    st.stop()

fp = cached.scenario_footprint(key, scenario)
base_fp = cached.baseline_footprint(key, base.policy)

with headline:
    st.caption(f"**{scenario.name}** · {plan.n_open} sites open ({plan.label}) · deltas against "
               f"“{base.name}” · {fp.factor_set_name}")
    charts.show_headline(fp, base_fp)
    decisions.draw_payback(cached.current_result(key, scenario, base))

row = st.container(horizontal=True, vertical_alignment="bottom")
if row.button("Save for comparison", icon=":material/bookmark_add:", key="ws_save"):
    st.toast(state.save_for_compare(scenario))
row.page_link("app_pages/consolidate.py", label="Re-optimise the hubs", icon=":material/hub:")

left, right = st.columns([3, 2])
with left:
    st.subheader("Before and after, by category")
    st.altair_chart(charts.category_chart({"Baseline": base_fp, scenario.name: fp}), width="stretch",
                    alt="Emissions by GHG category: baseline against this scenario, t CO2e a year")
with right:
    st.subheader("Totals")
    st.altair_chart(charts.totals_chart({"Baseline": base_fp.total_tco2e, scenario.name: fp.total_tco2e}),
                    width="stretch", alt="Total emissions, baseline against this scenario")
    notes = list(fp.notes)
    if notes:
        with st.expander(f"Notes ({len(notes)})", icon=":material/warning:"):
            for n in notes:
                st.markdown(f"- {n}")

decisions.draw_decision(cached.current_result(key, scenario, base))
