"""Decision widgets: what drives the change (waterfall), cost and payback, the target.

Each ``draw_*`` function takes a :class:`~footprint.scenario.run.ScenarioResult` and
draws one block; the Workshop and Compare pages call them with one line each. The
numbers come from :func:`footprint.decisions.decide` through ``cached.decision``.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import cached, charts, state
from footprint.decisions.report import gbp, years

GAIN, LOSS, TOTAL = "#009E73", "#D55E00", "#56B4E9"


def _decision(result: Any) -> Any:
    return cached.decision(state.org_key(), result, state.baseline())


def waterfall_frame(attribution: Any) -> pd.DataFrame:
    """One row per bar: label, start and end [t CO2e/yr], value, kind (total / saves / adds), order."""
    rows = []
    bars = attribution.waterfall()
    for i, (label, start, end, value) in enumerate(bars):
        total = i in (0, len(bars) - 1)
        rows.append(
            {
                "order": i,
                "label": label,
                "start": start,
                "end": end,
                "value": value,
                "kind": "total" if total else ("saves" if value < 0 else "adds"),
            }
        )
    return pd.DataFrame(rows)


def waterfall_chart(attribution: Any) -> alt.Chart:
    """An Altair waterfall: baseline, each lever's exact Shapley effect, scenario."""
    df = waterfall_frame(attribution)
    low = float(df[["start", "end"]].where(df["kind"] != "total").min().min())
    floor = max(
        0.0, 0.9 * min(low, float(df["end"].iloc[0]), float(df["end"].iloc[-1]))
    )
    df["start"] = df["start"].clip(lower=floor)
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=["total", "saves", "adds"], range=[TOTAL, GAIN, LOSS]),
        title=None,
    )
    x = alt.X(
        "label:N",
        sort=list(df["label"]),
        title=None,
        axis=alt.Axis(labelAngle=0, labelLimit=160),
    )
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "start:Q",
                title="Emissions [t CO₂e/yr] (axis not from zero)",
                scale=alt.Scale(domainMin=floor, zero=False),
            ),
            y2="end:Q",
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title="Effect"),
                alt.Tooltip("value:Q", title="t CO₂e/yr", format=",.0f"),
            ],
        )
    )
    text = (
        alt.Chart(df)
        .mark_text(dy=-8, fontSize=13)
        .encode(
            x=x,
            y=alt.Y("end:Q", scale=alt.Scale(domainMin=floor, zero=False)),
            text=alt.Text("value:Q", format="+,.0f"),
        )
    )
    return (
        (bars + text)
        .properties(height=340)
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_legend(orient="bottom", labelFontSize=13)
    )


def draw_payback(result: Any) -> None:
    """Cost a year, one-off cost, payback and carbon payback, as headline cards that wrap
    instead of clipping (cheap: the appraisal alone, no attribution)."""
    a = cached.appraisal(state.org_key(), result, state.baseline())
    charts.metric_row([
        {"label": "Cost to the organisation [£/yr]", "value": gbp(a.scenario.organisation_total),
         "delta": f"{gbp(-a.annual_saving_gbp)} a year", "delta_color": "inverse",
         "help": "Estate (rent, rates, service charge), energy and business travel; staff's commuting "
                 "cost is reported apart"},
        {"label": "One-off cost of the move [£]", "value": gbp(a.move.total),
         "help": "Fit-out, dilapidations and relocation"},
        {"label": "Payback [years]",
         "value": "never" if a.payback_years is None else f"{a.payback_years:,.1f}",
         "help": "One-off cost ÷ annual saving (estate, energy, business travel)"},
        {"label": "Carbon payback [years]",
         "value": "never" if a.carbon_payback_years is None else f"{a.carbon_payback_years:,.1f}",
         "delta": f"{a.embodied_tco2e:,.0f} t embodied", "delta_color": "off",
         "help": "Embodied carbon of the fit-out ÷ annual emissions avoided"},
    ])


def draw_waterfall(result: Any) -> None:
    """What drives the change: the waterfall and its table."""
    d = _decision(result)
    if d is None:
        st.info(
            "What drives the change cannot be shown: this result was computed against another baseline."
        )
        return
    att = d.attribution
    st.subheader("What drives the change")
    st.altair_chart(
        waterfall_chart(att),
        width="stretch",
        alt="Waterfall from the baseline to the scenario: each lever's share of the change, t CO2e a year",
    )
    table = pd.DataFrame(
        att.rows(),
        columns=["Effect", "t CO₂e/yr", "Share of the change", "What it changes"],
    )
    table["Share of the change"] = table["Share of the change"] * 100
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "t CO₂e/yr": st.column_config.NumberColumn(format="%+,.0f"),
            "Share of the change": st.column_config.NumberColumn(format="%+.0f %%"),
        },
    )
    st.caption(att.method)


def draw_cost_summary(result: Any) -> None:
    """Annual cost, one-off cost, payback, NPV, £/t, embodied carbon and the target."""
    d = _decision(result)
    if d is None:
        return
    a, m = d.appraisal, d.appraisal.move
    st.subheader("What it costs")
    rows = [
        (label, b, s, s - b)
        for (label, b), (_l, s) in zip(
            a.baseline.items(), a.scenario.items(), strict=True
        )
    ]
    st.dataframe(
        pd.DataFrame(
            rows, columns=["Cost a year", "Baseline [£]", "Scenario [£]", "Change [£]"]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.NumberColumn(format="%,.0f")
            for c in ("Baseline [£]", "Scenario [£]", "Change [£]")
        },
    )
    st.markdown(
        f"**One-off:** fit-out {gbp(m.fit_out_cat_a + m.fit_out_cat_b)} ({m.new_area_m2:,.0f} m² new, "
        f"{m.refit_area_m2:,.0f} m² refitted), dilapidations {gbp(m.dilapidations)} ({m.vacated_area_m2:,.0f} m² "
        f"vacated), relocation {gbp(m.relocation)} ({m.people_moved:,.0f} people): **{gbp(m.total)}**. "
        f"Payback {years(a.payback_years)}; NPV over {a.years:.0f} years at {100 * a.rate:.1f} %: "
        f"**{gbp(a.npv_gbp)}**; cost per tonne avoided {gbp(a.cost_per_tco2e_gbp)}/t CO₂e. Embodied carbon of the "
        f"fit-out {a.embodied_tco2e:,.0f} t CO₂e (Scope 3 cat. 2, one-off), carbon payback "
        f"{years(a.carbon_payback_years)}."
    )
    st.markdown(d.target.sentence())
    with st.expander(
        "Cost assumptions and their sources", icon=":material/receipt_long:"
    ):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "key": v.key,
                        "value": v.value,
                        "unit": v.unit,
                        "year": v.year,
                        "confidence": v.confidence,
                        "source": v.source,
                    }
                    for v in a.defaults.rows()
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def draw_decision(result: Any) -> None:
    """The waterfall and the cost summary, side by side."""
    left, right = st.columns([3, 2])
    with left:
        draw_waterfall(result)
    with right:
        draw_cost_summary(result)


def draw_compare(results: list[Any], names: list[str]) -> None:
    """Compare: a cost and payback table (one column per scenario) and each scenario's waterfall."""
    decisions = [_decision(r) for r in results]
    shown = [(n, d) for n, d in zip(names, decisions, strict=True) if d is not None]
    if not shown:
        return
    st.subheader("Cost, payback and what drives the change")
    labels = [
        "Change [t CO₂e/yr]",
        "Cost to the organisation [£/yr]",
        "Annual saving [£/yr]",
        "One-off cost [£]",
        "Payback [years]",
        "NPV [£]",
        "Cost per tonne avoided [£/t CO₂e]",
        "Embodied carbon [t CO₂e]",
        "Carbon payback [years]",
        "Commuting, paid by staff [£/yr]",
        "Gap to the target [t CO₂e/yr]",
    ]
    table = {"": labels}
    for n, d in shown:
        a = d.appraisal
        table[n] = [
            d.attribution.change_kgco2e / 1000,
            a.scenario.organisation_total,
            a.annual_saving_gbp,
            a.move.total,
            a.payback_years,
            a.npv_gbp,
            a.cost_per_tco2e_gbp,
            a.embodied_tco2e,
            a.carbon_payback_years,
            a.scenario.commuting_staff,
            d.target.gap_tco2e,
        ]
    st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        column_config={
            n: st.column_config.NumberColumn(format="%,.1f") for n, _ in shown
        },
    )
    for tab, (_n, d) in zip(st.tabs([n for n, _ in shown]), shown, strict=True):
        with tab:
            st.altair_chart(
                waterfall_chart(d.attribution),
                width="stretch",
                alt="Waterfall: each lever's share of the change, t CO2e a year",
            )
