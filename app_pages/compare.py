"""Compare: up to six saved scenarios side by side (totals, categories, commute, hubs)."""

from textwrap import shorten

import pandas as pd
import streamlit as st

from app_pages import cached, charts, decisions, errors, state, workspace
from app_pages.map import show_map
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
    c1, c2, c3 = st.columns(3)
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


def _compare(saved: list) -> None:
    """The saved scenarios side by side with the baseline."""
    results, names = [], []
    for i, s in enumerate(saved):
        cols = st.columns([6, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"**{i + 1}. {s.name}**" + (f" — {shorten(s.description, 160, placeholder=' …')}"
                                                     if s.description else ""), help=s.description or None)
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
        return

    base_fp = cached.baseline_footprint(key, base.policy)
    # the baseline is drawn once: a saved scenario that *is* the baseline takes the baseline's place
    is_base = [r.scenario.hubs == base.hubs and r.scenario.policy == base.policy for r in results]
    base_name = next((n for n, b in zip(names, is_base, strict=True) if b), base.name)
    others = [(n, r) for n, r, b in zip(names, results, is_base, strict=True) if not b]
    best = min(results, key=lambda r: r.footprint.total_tco2e)
    change = best.footprint.total_tco2e - base_fp.total_tco2e
    st.markdown(f"**{best.scenario.name}** has the lowest total: {best.footprint.total_tco2e:,.0f} t CO₂e a year, "
                f"{100 * change / base_fp.total_tco2e:+.1f} % against “{base_name}” "
                f"({base_fp.total_tco2e:,.0f} t); {best.footprint.commute.staff_longer:,.0f} staff commute further and "
                f"the mean one-way commute is {best.footprint.commute.mean_min:.0f} min "
                f"(today {base_fp.commute.mean_min:.0f} min).")
    st.subheader("Totals")


    def _delta(total: float) -> str | None:
        d = total - base_fp.total_tco2e
        return None if abs(d) < 0.5 else f"{d:+,.0f} t vs baseline"


    charts.metric_row([{"label": base_name, "value": f"{base_fp.total_tco2e:,.0f}", "help": "The baseline [t CO₂e/yr]"},
                       *[{"label": n, "value": f"{r.footprint.total_tco2e:,.0f}",
                          "delta": _delta(r.footprint.total_tco2e), "delta_color": "inverse",
                          "help": f"{n} [t CO₂e/yr]"} for n, r in others]])
    fps = {base_name: base_fp, **{n: r.footprint for n, r in others}}
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
        st.subheader("Commute distance")
        st.altair_chart(charts.commute_chart(fps), width="stretch",
                        alt="Staff by one-way commute distance band for each scenario")
        st.caption(" · ".join(f"**{n}:** {f.commute.mean_min:.0f} min mean one way, {f.commute.staff_over_limit:,.0f} "
                              f"over {f.commute.limit_label}" for n, f in fps.items()))

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

    st.subheader("Maps side by side")
    map_scenarios = {base_name: base, **{n: r.scenario for n, r in others}}
    map_names = list(map_scenarios)
    picks = st.columns(2)
    linked = st.session_state.get("compare_maps")  # (left, right) from a link or the last visit
    chosen_at = []
    for side, (col, default) in enumerate(zip(picks, [0, len(map_names) - 1], strict=True)):
        wkey = f"cmp_map_pick_{side}"
        if st.session_state.get(wkey) not in map_names:
            st.session_state[wkey] = map_names[min(linked[side] if linked else default, len(map_names) - 1)]
        with col:
            chosen = st.selectbox("Scenario", map_names, key=wkey)
            chosen_at.append(map_names.index(chosen))
            with errors.guard("The map"):
                show_map(key, map_scenarios[chosen], base, key=f"cmp_map_{side}", with_table=False, height=460)
    st.session_state.compare_maps = tuple(chosen_at)
    state.set_page_params({state.COMPARE_MAPS_PARAM: ",".join(map(str, chosen_at))})


saved = state.saved()
if saved:  # the compared scenarios go into the link, so a copied link opens the same comparison
    state.set_page_params({state.COMPARE_PARAM: state.compared_to_param(saved)})
    _compare(saved)
else:  # no st.stop(): the app still writes the link after the page
    st.info("Add scenarios above (up to six) to compare them with the baseline.", icon=":material/compare_arrows:")
