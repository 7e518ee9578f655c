"""Charts (Altair): large type for projectors, a colour-blind-safe palette, units on axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from footprint.accounting import CATEGORIES, Footprint
from footprint.accounting.result import over_capacity_sentence
from footprint.reports.tables import DISTANCE_BANDS_KM

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = 15

SHORT_CATEGORY = {
    "Scope 1: heating fuel": "Heating fuel (S1)",
    "Scope 2: electricity and heat": "Electricity (S2)",
    "Scope 3 cat. 3: T&D losses and well-to-tank": "Energy upstream (S3.3)",
    "Scope 3 cat. 6: business travel": "Business travel (S3.6)",
    "Scope 3 cat. 7: commuting": "Commuting (S3.7)",
    "Scope 3 cat. 7: homeworking": "Homeworking (S3.7)",
    "Scope 3: video meetings": "Video meetings (S3)",
}


def _style(chart: alt.Chart, height: int = 360) -> alt.Chart:
    return (
        chart.properties(height=height)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT + 1, labelLimit=260)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, orient="bottom", labelLimit=320, columns=2)
        .configure_title(fontSize=FONT + 3)
    )


def _colour(field: str, names: Sequence[str], title: str | None = None) -> alt.Color:
    return alt.Color(f"{field}:N", scale=alt.Scale(domain=list(names), range=list(PALETTE[: len(names)])),
                     title=title, sort=list(names))


def category_frame(footprints: dict[str, Footprint]) -> pd.DataFrame:
    """Long table: scenario, category, t CO2e/yr (in reporting order)."""
    rows = [
        {"scenario": name, "category": SHORT_CATEGORY.get(cat, cat), "order": i, "tco2e": kg / 1000.0}
        for name, fp in footprints.items()
        for i, (cat, kg) in enumerate(fp.by_category().items())
    ]
    return pd.DataFrame(rows)


def category_chart(footprints: dict[str, Footprint]) -> alt.Chart:
    """Grouped horizontal bars: emissions by GHG category for each scenario."""
    df = category_frame(footprints)
    names = list(footprints)
    order = [SHORT_CATEGORY.get(c, c) for c in CATEGORIES]
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("category:N", sort=order, title=None),
        yOffset=alt.YOffset("scenario:N", sort=names),
        x=alt.X("tco2e:Q", title="Emissions [t CO₂e/yr]", axis=alt.Axis(format=",.0f")),
        color=_colour("scenario", names, "Scenario"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("category:N"),
                 alt.Tooltip("tco2e:Q", title="t CO₂e/yr", format=",.0f")],
    )
    return _style(chart, height=len(order) * (18 * len(names) + 22) + 40)


def commute_frame(footprints: dict[str, Footprint]) -> pd.DataFrame:
    """Staff per one-way commute distance band (the PDF report's bands; remote workers apart)."""
    edges = np.asarray(DISTANCE_BANDS_KM, dtype=float)
    labels = [f"{lo:g}+" if not np.isfinite(hi) else f"{lo:g}–{hi:g}" for lo, hi in zip(edges[:-1], edges[1:],
                                                                                            strict=True)]
    rows = []
    for name, fp in footprints.items():
        g = fp.groups
        commuting = g.site >= 0
        counts, _ = np.histogram(g.distance_km[commuting], bins=edges, weights=g.count[commuting])
        for k, (label, c) in enumerate(zip(labels, counts, strict=True)):
            rows.append({"scenario": name, "band": label, "order": k, "staff": float(c)})
    return pd.DataFrame(rows)


def commute_chart(footprints: dict[str, Footprint]) -> alt.Chart:
    """Staff by one-way commute distance band, grouped bars per scenario (the PDF's bands)."""
    df = commute_frame(footprints)
    names = list(footprints)
    bands = list(dict.fromkeys(df["band"]))
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("band:N", sort=bands, title="One-way commute [km]", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("scenario:N", sort=names),
        y=alt.Y("staff:Q", title="Staff [people]", axis=alt.Axis(format=",.0f")),
        color=_colour("scenario", names, "Scenario"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("band:N", title="km"),
                 alt.Tooltip("staff:Q", title="staff", format=",.0f")],
    )
    return _style(chart)


def commute_time_sentence(t: Any) -> str:
    """Commute as people feel it, from :class:`footprint.scenario.flows.CommuteTimes` (Markdown)."""
    return (f"Mean one way **{t.mean_min_before:.0f} → {t.mean_min_after:.0f} min**. "
            f"**{t.staff_losing:,.0f} staff** lose time (on average {t.minutes_lost:.0f} min more each way), "
            f"**{t.staff_gaining:,.0f}** gain time ({t.minutes_gained:.0f} min less). "
            f"Over 60 min one way: {t.over_60_before:,.0f} → **{t.over_60_after:,.0f}** staff; "
            f"over 90 min: {t.over_90_before:,.0f} → **{t.over_90_after:,.0f}**.")


def totals_chart(totals: dict[str, float]) -> alt.Chart:
    """Before/after (or several scenarios): total t CO2e/yr as bars."""
    df = pd.DataFrame({"scenario": list(totals), "tco2e": list(totals.values())})
    names = list(totals)
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("tco2e:Q", title="Total emissions [t CO₂e/yr]", axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(domain=[0, 1.25 * max(max(totals.values(), default=0.0), 1.0)], nice=False)),
        y=alt.Y("scenario:N", sort=names, title=None),
        color=_colour("scenario", names, None).legend(None),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("tco2e:Q", title="t CO₂e/yr", format=",.0f")],
    )
    text = bars.mark_text(align="left", dx=6, fontSize=FONT).encode(
        text=alt.Text("tco2e:Q", format=",.0f"), color=alt.value("#333333"))
    return _style(alt.layer(bars, text), height=60 * len(names) + 40)


PARETO_Y = {
    "mean_commute_km": "Mean one-way commute [km]",
    "staff_over_60_min": "Staff over 60 min one-way [people]",
}


def pareto_frame(points: Sequence[Any], front: Sequence[int], knee: int | None,
                 y: str = "mean_commute_km", min_gap: float = 0.06) -> pd.DataFrame:
    """One row per sweep point: values, on the front, the knee, and a label where it does not crowd another.

    Labels (the hub count) are kept greedily, the knee and the front first, when no kept
    label is closer than ``min_gap`` of the chart's width/height (normalised axes).
    """
    on_front = set(front)
    df = pd.DataFrame([
        {"n_hubs": int(p.n_hubs), "total_tco2e": float(p.total_tco2e), "mean_commute_km": float(p.mean_commute_km),
         "staff_over_60_min": float(p.staff_over_60_min), "front": i in on_front, "knee": i == knee}
        for i, p in enumerate(points)
    ])
    if df.empty:
        return df.assign(label=pd.Series(dtype=str))
    span = lambda v: (v - v.min()) / ((v.max() - v.min()) or 1.0)  # noqa: E731
    nx, ny = span(df["total_tco2e"].to_numpy()), span(df[y].to_numpy())
    order = sorted(range(len(df)), key=lambda i: (not df.knee[i], not df.front[i], i))
    kept: list[int] = []
    for i in order:
        if all(max(abs(nx[i] - nx[j]), abs(ny[i] - ny[j])) >= min_gap for j in kept):
            kept.append(i)
    df["label"] = ["" if i not in kept or df.knee[i] else str(df.n_hubs[i]) for i in range(len(df))]
    df["knee_label"] = [f"{df.n_hubs[i]} hubs (knee)" if df.knee[i] else "" for i in range(len(df))]
    return df


def pareto_chart(df: pd.DataFrame, y: str = "mean_commute_km") -> alt.Chart:
    """Total emissions vs. a commute burden: every point, the front joined and labelled, the knee marked."""
    base = alt.Chart(df).encode(
        x=alt.X("total_tco2e:Q", title="Total emissions [t CO₂e/yr]", scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f")),
        y=alt.Y(f"{y}:Q", title=PARETO_Y[y], scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("n_hubs:Q", title="hubs"), alt.Tooltip("total_tco2e:Q", title="t CO₂e/yr", format=",.0f"),
                 alt.Tooltip("mean_commute_km:Q", title="mean commute km", format=".1f"),
                 alt.Tooltip("staff_over_60_min:Q", title="staff > 60 min", format=",.0f")],
    )
    others = base.transform_filter(~alt.datum.front).mark_point(size=70, color="#999999", filled=True)
    front = base.transform_filter(alt.datum.front)
    line = front.mark_line(color=PALETTE[0], strokeWidth=2, point=alt.OverlayMarkDef(size=90, color=PALETTE[0]))
    # labels only on the front, to the right of the point (the grey points' counts are in the tooltip/table)
    labels = base.mark_text(dx=9, dy=-9, align="left", fontSize=FONT - 2, color="#333333").encode(text="label:N")
    knee = base.transform_filter(alt.datum.knee).mark_point(shape="diamond", size=500, filled=True, color=PALETTE[5])
    knee_label = base.transform_filter(alt.datum.knee).mark_text(
        dx=14, dy=14, align="left", fontSize=FONT, fontWeight="bold", color=PALETTE[5]).encode(
        text=alt.Text("knee_label:N"))
    return _style(alt.layer(others, line, labels, knee, knee_label).properties(
        title="Number of hubs at each point; the Pareto front in blue, the knee as a diamond"), height=460)


def sweep_table(points: Sequence[Any], front: Sequence[int], knee: int | None) -> pd.DataFrame:
    """The sweep as a table with readable headers and units (gap in %, blank when not proven)."""
    on_front = set(front)
    return pd.DataFrame({
        "Hubs": [int(p.n_hubs) for p in points],
        "Total [t CO₂e/yr]": [round(float(p.total_tco2e)) for p in points],
        "Mean commute [km]": [round(float(p.mean_commute_km), 1) for p in points],
        "Staff over 60 min": [round(float(p.staff_over_60_min)) for p in points],
        "Floor area [m²]": [round(float(p.floor_area_m2)) for p in points],
        "On the front": ["knee" if i == knee else "yes" if i in on_front else "no" for i in range(len(points))],
        "Proven gap": [f"{100.0 * float(p.gap):.2f} %" if p.gap is not None and np.isfinite(p.gap)
                       else "not proven" for p in points],
        "Time [s]": [round(float(p.seconds), 1) for p in points],
        "Status": [p.status if p.feasible else f"{p.status}: {p.message}" for p in points],
    })


# --- headline numbers (st.metric) ----------------------------------------------------
#: Width of a headline card [px]: cards wrap to the next row rather than clip their number
#: (five in a row at 1920 px, three at 1280 px with the sidebar open).
METRIC_WIDTH = 236


def headline_values(fp: Footprint, base: Footprint) -> list[dict[str, Any]]:
    """The five workshop numbers with their deltas against the baseline (plain data)."""
    pct = 100.0 * (fp.total_kgco2e / base.total_kgco2e - 1.0) if base.total_kgco2e else 0.0
    c, cb = fp.commute, base.commute
    return [
        {"label": "Total, t CO₂e/yr", "value": f"{fp.total_tco2e:,.0f}",
         "delta": f"{fp.total_tco2e - base.total_tco2e:+,.0f} t", "delta_color": "inverse",
         "help": "Total emissions a year, all scopes [t CO₂e/yr]; the change against the baseline below"},
        {"label": "Change vs baseline", "value": f"{pct:+.1f} %", "delta": None, "delta_color": "off",
         "help": "Change of the total against the baseline [%]"},
        {"label": "Mean commute, min", "value": f"{c.mean_min:.0f}",
         "delta": f"{c.mean_min - cb.mean_min:+.0f} min · {c.mean_km:.1f} km", "delta_color": "inverse",
         "help": "Mean one-way commute of staff who commute [min], and its distance [km]"},
        {"label": "Floor area, m²", "value": f"{fp.floor_area_m2:,.0f}",
         "delta": f"{fp.floor_area_m2 - base.floor_area_m2:+,.0f} m²", "delta_color": "inverse",
         "help": "Floor area of the open sites [m²]"},
        {"label": f"Staff over {c.limit_label}", "value": f"{c.staff_over_limit:,.0f}",
         "delta": f"{c.staff_over_limit - cb.staff_over_limit:+,.0f}", "delta_color": "inverse",
         "help": f"Staff whose one-way commute is over {c.limit_label} [people]"},
    ]


def metric_row(values: Sequence[dict[str, Any]]) -> None:
    """Bordered metrics of a fixed width that wrap to a new row instead of clipping."""
    import streamlit as st

    row = st.container(horizontal=True, gap="small")
    for v in values:
        row.metric(v["label"], v["value"], v.get("delta"), delta_color=v.get("delta_color", "normal"),
                   help=v.get("help"), border=True, width=METRIC_WIDTH)


def headline_sentence(fp: Footprint, base: Footprint, interval: Any = None) -> str:
    """One sentence, as the PDF's executive summary: change, commutes, capacity (Markdown).

    ``interval`` is the 90 % uncertainty interval of the total (``p05``/``p95`` [t CO₂e/yr]).
    """
    change = fp.total_tco2e - base.total_tco2e
    pct = 100.0 * change / base.total_tco2e if base.total_tco2e else 0.0
    unc = f" (90 % interval {interval.p05:,.0f}–{interval.p95:,.0f})" if interval is not None else ""
    if abs(change) < 0.5:
        parts = [f"**{fp.total_tco2e:,.0f} t CO₂e a year**{unc}, the same as the baseline"]
    else:
        parts = [f"**{pct:+.1f} % t CO₂e** ({base.total_tco2e:,.0f} → {fp.total_tco2e:,.0f} t a year{unc})"]
    c, cb = fp.commute, base.commute
    if c.staff_longer or c.staff_shorter:
        parts.append(f"{c.staff_longer:,.0f} staff commute further, {c.staff_shorter:,.0f} less far; "
                     f"mean one way {cb.mean_min:.0f} → {c.mean_min:.0f} min")
    n_over = int(np.count_nonzero(fp.sites.over_capacity))
    if n_over:
        parts.append(f"{n_over} hub{'s' if n_over != 1 else ''} over capacity")
    return "; ".join(parts) + "."


def show_headline(fp: Footprint, base: Footprint, interval: Any = None) -> None:
    """The one-sentence headline and the large bordered metrics (they wrap on narrow screens)."""
    import streamlit as st

    st.markdown(headline_sentence(fp, base, interval))
    metric_row(headline_values(fp, base))
    over = over_capacity_sentence(fp.sites)
    if over:  # next to the numbers: an overfilled plan looks cheaper than a feasible one
        st.warning(f"**This plan is not feasible as it stands:** {over}. Its building emissions count only the "
                   "desks the hubs hold. Run the optimiser with desk capacity respected for a plan that fits.",
                   icon=":material/warning:")
