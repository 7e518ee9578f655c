"""Workshop: sliders on a fixed hub set; headline numbers respond at once.

The policy sliders re-run the accounting (``footprint.accounting.account``) on
the scenario's fixed plan; the hub-count slider re-optimises with the fast
heuristic (``cached.quick_hubs``: offices whole, about a second on the demo).
The scenario's name follows the levers until the user types one.
"""

from dataclasses import replace

import streamlit as st

from app_pages import cached, charts, decisions, errors, state
from footprint.scenario import Scenario


def auto_name(s: Scenario, n_hubs: int) -> str:
    """A scenario name that says what the levers are: "20 hubs, 2.5 office days, 60 % video"."""
    p = s.policy
    return f"{n_hubs} hubs, {p.office_days_per_week:g} office days, {p.video_share:.0%} video".replace("%", " %")


key = state.org_key()
scenario = state.scenario()
base = state.baseline()

st.title("Workshop")
headline = st.container()

# --- levers, in reading order (rows stack in the same order on a phone) ------------
n_candidates = int(cached.organisation(key).sites.can_be_hub.sum())
fixed_plan = scenario.hubs.selection != "optimise"
before_policy = scenario.policy
values = {}
with st.container(border=True):
    fields = list(state.WORKSHOP_SLIDERS)
    rows = [["hubs", *fields[:2]], fields[2:4], fields[4:6]]
    for row_fields in rows:
        cols = st.columns(3)
        for col, field in zip(cols, row_fields, strict=False):
            if field == "hubs":
                current = cached.plan(key, scenario).n_open if fixed_plan else scenario.hubs.count
                k = state.seed_widget("hubs", int(min(max(current, 1), n_candidates)))
                hubs_wanted = col.slider("Hubs [sites]", 1, max(n_candidates, 2), key=k,
                                         help="Re-optimises at once with the fast heuristic (offices move whole, "
                                              "desk capacity respected); Consolidate runs the full optimiser")
                continue
            spec = state.slider_spec(field)
            scale = spec.pop("scale")
            k = state.seed_widget(field, float(getattr(scenario.policy, field)) * scale)
            values[field] = col.slider(**spec, key=k) / scale
    cols = st.columns(3)
    sets = cached.factor_sets()
    k = state.seed_widget("factor_set", scenario.policy.factor_set if scenario.policy.factor_set in sets else sets[0])
    values["factor_set"] = cols[0].select_slider("Emission factors", options=sets, key=k,
                                                 format_func=cached.factor_label,
                                                 help="The factor set (publisher and year) used for every line")
    k = state.seed_widget("radiative_forcing", scenario.policy.radiative_forcing)
    values["radiative_forcing"] = cols[1].toggle("Flights' non-CO₂ effects", key=k,
                                                 help="Radiative forcing: include the non-CO₂ effects of flying "
                                                      "(DESNZ recommends it)")
    k = state.seed_widget("include_homeworking", scenario.policy.include_homeworking)
    values["include_homeworking"] = cols[2].toggle("Homeworking", key=k,
                                                   help="Count the energy of working from home (GHG Protocol "
                                                        "cat. 7, optional)")
    k = state.seed_widget("name", scenario.name)
    name = st.text_input("Scenario name", key=k, max_chars=80,
                         help="Follows the levers until you type a name of your own",
                         on_change=lambda: st.session_state.update(ws_name_typed=True)).strip() or scenario.name

state.set_policy(replace(scenario.policy, **values))
scenario = state.scenario()
levers_moved = scenario.policy != before_policy
current = cached.plan(key, scenario).n_open if fixed_plan else scenario.hubs.count
if hubs_wanted != current:
    with st.spinner(f"Choosing {hubs_wanted} hubs…", show_time=True), errors.guard("Choosing the hubs"):
        state.set_scenario(replace(scenario, hubs=cached.quick_hubs(key, scenario.policy, hubs_wanted)),
                           reset_widgets=False)
        levers_moved = True
scenario = state.scenario()
if name != scenario.name:
    st.session_state.ws_name_typed = True
    state.set_scenario(replace(scenario, name=name), reset_widgets=False)
elif levers_moved and not st.session_state.get("ws_name_typed"):
    n_now = scenario.hubs.count if scenario.hubs.selection == "optimise" else cached.plan(key, scenario).n_open
    state.set_scenario(replace(scenario, name=auto_name(scenario, n_now)),
                       reset_widgets=False)
    del st.session_state[state.widget_key("name")]  # re-seeded with the new name on the rerun
    st.rerun()
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
    charts.show_headline(fp, base_fp, cached.uncertainty(key, scenario, base).total)
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

st.subheader("Commute as people feel it")
st.markdown(charts.commute_time_sentence(cached.commute_time_changes(key, scenario, base)))
st.altair_chart(charts.commute_chart({"Baseline": base_fp, scenario.name: fp}), width="stretch",
                alt="Staff by one-way commute distance band, baseline against this scenario")
with right:
    notes = list(fp.notes)
    if notes:
        with st.expander(f"Notes ({len(notes)})", icon=":material/warning:"):
            for n in notes:
                st.markdown(f"- {n}")

# each lever's exact share of the change takes 8-16 footprints (seconds on a large
# estate): on request, so that the sliders above keep answering at once
if st.toggle("Explain the change: what drives it and what it costs", key="ws_explain",
             help="Each lever's exact share of the change (Shapley values), the cost, payback and "
                  "embodied carbon of the move. Takes a few seconds on a large estate."):
    decisions.draw_decision(cached.current_result(key, scenario, base))
