"""Compare: up to six saved scenarios side by side (totals, categories, commute, hubs)."""

import pandas as pd
import streamlit as st

from app_pages import cached, charts, decisions, errors, state, workspace
from footprint.errors import InputError
from footprint.scenario import load_scenario, parse_scenario
from footprint.scenario.compare import comparison_rows

key = state.org_key()
base = state.baseline()

st.title("Compare scenarios")


def _add(scenarios: list) -> None:
    for s in scenarios:
        st.toast(state.save_for_compare(s))


with st.container(border=True):
    c1, c2, c3 = st.columns([1, 2, 2])
    with c1:
        st.markdown("**The current scenario**")
        if st.button("Add current scenario", icon=":material/bookmark_add:", key="cmp_add_current"):
            _add([state.scenario()])
    with c2:
        files = sorted(p.name for p in state.SCENARIO_DIR.glob("*.toml")) if state.SCENARIO_DIR.exists() else []
        chosen = st.multiselect("Scenario files in `scenarios/`", files, key="cmp_files")
        if st.button("Add files", key="cmp_add_files", disabled=not chosen):
            with errors.guard("Loading the scenario files"):
                _add([load_scenario(state.SCENARIO_DIR / name) for name in chosen])
        stored = workspace.saved_scenarios()  # saved in this session's workspace (name → TOML)
        if stored:
            picked = st.multiselect("Saved in the workspace", list(stored), key="cmp_ws")
            if st.button("Add saved", key="cmp_add_ws", disabled=not picked):
                with errors.guard("Loading the saved scenarios"):
                    _add([parse_scenario(stored[n], source=f"workspace scenario “{n}”") for n in picked])
    with c3:
        uploads = st.file_uploader("Or upload scenario files [.toml]", type=["toml"], accept_multiple_files=True,
                                   key="cmp_upload")
        if uploads and st.button("Add uploaded", key="cmp_add_upload"):
            problems, good = [], []
            for up in uploads:
                try:
                    good.append(parse_scenario(up.getvalue().decode("utf-8", errors="replace"), source=up.name))
                except InputError as e:
                    problems += e.problems
            if problems:
                errors.show_problems(problems, "Some scenario files are not valid")
            _add(good)

workspace.snapshot_list()  # result snapshots kept in the workspace (Report → Save to workspace)

saved = state.saved()
if not saved:
    st.info("Add scenarios above (up to six) to compare them with the baseline.", icon=":material/compare_arrows:")
    st.stop()

results, names = [], []
for i, s in enumerate(saved):
    cols = st.columns([6, 1, 1], vertical_alignment="center")
    cols[0].markdown(f"**{i + 1}. {s.name}** — {s.description[:140]}")
    if cols[1].button("Open", key=f"cmp_open_{i}", help="Make this the current scenario"):
        state.set_scenario(s)
        st.toast(f"“{s.name}” is now the current scenario.")
    if cols[2].button("Remove", key=f"cmp_rm_{i}"):
        state.remove_saved(i)
        st.rerun()
    try:
        results.append(cached.run_saved(key, s, base))
        names.append(s.name if s.name not in names else f"{s.name} ({i + 1})")
    except cached.NeedsOptimiser as need:
        cols[0].warning(f"Needs an optimiser run for {need.count} hubs: open it, then run it on Consolidate.")
    except Exception as exc:  # noqa: BLE001 - shown as a friendly message
        with cols[0]:
            errors.show_exception(exc, f"Running “{s.name}”")

if not results:
    st.stop()

base_fp = cached.baseline_footprint(key, base.policy)
st.subheader("Totals")
cols = st.columns(min(len(results), 6))
for col, name, r in zip(cols, names, results, strict=False):
    col.metric(f"{name} [t CO₂e/yr]", f"{r.footprint.total_tco2e:,.0f}",
               f"{r.footprint.total_tco2e - base_fp.total_tco2e:+,.0f} t vs baseline", delta_color="inverse",
               border=True)
fps = {"Baseline": base_fp, **{n: r.footprint for n, r in zip(names, results, strict=True)}}
st.altair_chart(charts.totals_chart({n: f.total_tco2e for n, f in fps.items()}), width="stretch",
                alt="Total emissions of each scenario and the baseline")

rows = comparison_rows(results)
table = pd.DataFrame([[label, unit, *values] for label, unit, values in rows], columns=["", "unit", *names])
st.dataframe(table, hide_index=True, width="stretch",
             column_config={n: st.column_config.NumberColumn(format="%,.1f") for n in names})

left, right = st.columns(2)
with left:
    st.subheader("By category")
    st.altair_chart(charts.category_chart(fps), width="stretch", alt="Emissions by category for each scenario")
with right:
    st.subheader("Commute distribution")
    st.altair_chart(charts.commute_chart(fps), width="stretch",
                    alt="One-way commute distance distribution for each scenario")

decisions.draw_compare(results, names)

st.subheader("Hubs kept")
hub_sets = {n: set(r.footprint.open_site_ids) for n, r in zip(names, results, strict=True)}
union = sorted(set().union(*hub_sets.values()))
org = cached.organisation(key)
index = {s: i for i, s in enumerate(org.sites.site_id)}
hubs = pd.DataFrame({"site": [org.sites.name[index[s]] for s in union], "id": union,
                     **{n: [s in hub_sets[n] for s in union] for n in names}})
hubs["kept in"] = hubs[names].sum(axis=1)
st.caption(" · ".join(f"**{n}:** {len(v)} sites open" for n, v in hub_sets.items()))
st.dataframe(hubs.sort_values(["kept in", "site"], ascending=[False, True]), hide_index=True, width="stretch",
             height=320)
