"""The study's front: which grid points are not beaten on emissions and commutes, as PDF or XLSX.

A point is on the front when no other feasible point has both lower total emissions
and a shorter mean one-way commute (both minimised, :func:`footprint.hubs.sweep.pareto_front`);
the knee is the front point farthest from the chord between its ends
(:func:`footprint.hubs.sweep.knee_point`). The report builds on
:mod:`footprint.reports` (its PDF layout, charts and XLSX writer) and returns bytes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from footprint.hubs.sweep import knee_point, pareto_front
from footprint.reports import charts
from footprint.reports import tables as tb
from footprint.study.results import LEVER_PREFIX, lever_columns

REPORT_FORMATS = ("pdf", "xlsx")
T = "t CO2e/yr"


def front(frame: pd.DataFrame) -> tuple[np.ndarray, int | None]:
    """Row positions of the front (sorted by emissions) and of its knee (None under three points)."""
    ok = np.flatnonzero(frame["feasible"].to_numpy(bool))
    if ok.size == 0:
        return np.array([], dtype=np.int64), None
    x = frame["total_tco2e"].to_numpy(float)
    y = frame["mean_commute_km"].to_numpy(float)
    positions = ok[pareto_front(x[ok], y[ok])]
    return positions, knee_point(x, y, positions)


def _lever_label(col: str) -> str:
    return col[len(LEVER_PREFIX) :].replace("_", " ")


def points_table(
    frame: pd.DataFrame,
    rows: np.ndarray | None = None,
    key: str = "points",
    title: str = "Every grid point",
) -> tb.Table:
    """The points (or some of them) with levers, totals, 90 % intervals and commutes."""
    levers = lever_columns(frame)
    cols = (
        tb.Column("Point", "", "int", 7),
        *(tb.Column(_lever_label(c), "", "fine", 12) for c in levers),
        tb.Column("Hubs", "sites", "int", 8),
        tb.Column("Total", T),
        tb.Column("5th percentile", T),
        tb.Column("95th percentile", T),
        tb.Column("Change", T),
        tb.Column("P(reduction)", "", "fine", 10),
        tb.Column("Mean commute", "km"),
        tb.Column("Status", "", "text", 18),
    )
    sel = frame if rows is None else frame.iloc[rows]
    out = []
    for rec in sel.to_dict("records"):
        feasible = bool(rec["feasible"])

        def num(name: str, rec: dict = rec, feasible: bool = feasible) -> Any:
            v = rec[name]
            return float(v) if feasible and v == v else None

        out.append(
            (
                int(rec["point"]),
                *(rec[c].item() if hasattr(rec[c], "item") else rec[c] for c in levers),
                int(rec["n_hubs"]) if feasible else None,
                num("total_tco2e"),
                num("total_p05"),
                num("total_p95"),
                num("change_tco2e"),
                round(float(rec["prob_reduction"]), 3)
                if feasible and rec["draws"]
                else None,
                num("mean_commute_km"),
                str(rec["status"]),
            )
        )
    note = (
        "Totals are central estimates; percentiles are of the Monte Carlo draws; change is against the "
        "baseline (today's estate). P(reduction) is the share of draws in which the point emits less than "
        "its baseline."
    )
    return tb.Table(key, title, cols, tuple(out), note=note)


def _hit_limit(frame: pd.DataFrame) -> str:
    hit = frame.loc[frame["hit_time_limit"].astype(bool), "point"].tolist()
    if not hit:
        return "none: every optimised point stopped on its own, so its hubs are reproducible"
    return (
        f"{len(hit):,} (points {', '.join(str(int(p)) for p in hit[:20])}{' …' if len(hit) > 20 else ''}): "
        "stopped by the clock, their hubs can differ from run to run; raise optimiser.time_limit_s"
    )


def info_table(frame: pd.DataFrame) -> tb.Table:
    """What the study is: name, points, draws, seed, levers."""
    first = frame.iloc[0] if len(frame) else None
    levers = ", ".join(
        f"{_lever_label(c)}: {', '.join(str(v) for v in pd.unique(frame[c]))}"
        for c in lever_columns(frame)
    )
    rows = (
        ("Study", str(first["study"]) if first is not None else ""),
        ("Points", f"{len(frame):,} ({int(frame['feasible'].sum()):,} feasible)"),
        (
            "Monte Carlo draws per point",
            f"{int(frame['draws'].max()) if len(frame) else 0:,}",
        ),
        ("Seed", str(int(first["seed"])) if first is not None else ""),
        ("Levers", levers or "none"),
        ("Points that hit their time limit", _hit_limit(frame)),
        ("Study fingerprint", str(first["fingerprint"]) if first is not None else ""),
    )
    return tb.Table(
        "inputs",
        "Study",
        (tb.Column("Item", "", "text", 28), tb.Column("Value", "", "text", 90)),
        rows,
    )


def interval_chart(
    frame: pd.DataFrame, on_front: np.ndarray, knee: int | None
) -> bytes:
    """Total emissions (median, 90 % interval) against mean commute; front points filled. [PNG]"""
    fig = charts._figure(7.0, 3.8)
    ax = fig.add_subplot()
    ok = frame["feasible"].to_numpy(bool)
    km = frame["mean_commute_km"].to_numpy(float)
    central = frame["total_tco2e"].to_numpy(float)
    lo, hi = frame["total_p05"].to_numpy(float), frame["total_p95"].to_numpy(float)
    has_draws = ok & np.isfinite(lo) & np.isfinite(hi)
    if has_draws.any():
        ax.errorbar(
            km[has_draws],
            central[has_draws],
            yerr=[
                central[has_draws] - lo[has_draws],
                hi[has_draws] - central[has_draws],
            ],
            fmt="none",
            ecolor=charts.OKABE_ITO["sky"],
            elinewidth=1.0,
            capsize=2,
            label="90 % interval",
        )
    ax.scatter(
        km[ok],
        central[ok],
        s=14,
        color=charts.OKABE_ITO["blue"],
        label="grid point",
        zorder=3,
    )
    if on_front.size:
        order = on_front[np.argsort(km[on_front])]
        ax.plot(
            km[order],
            central[order],
            color=charts.OKABE_ITO["vermillion"],
            linewidth=1.2,
            label="front",
            zorder=4,
        )
    if knee is not None:
        ax.scatter(
            [km[knee]],
            [central[knee]],
            s=120,
            facecolor="none",
            edgecolor=charts.OKABE_ITO["vermillion"],
            linewidths=1.6,
            label=f"knee: point {int(frame['point'].iloc[knee])}",
            zorder=5,
        )
    ax.set_xlabel("Mean one-way commute [km]")
    ax.set_ylabel(charts.T_AXIS)
    charts._thousands(ax, "y")
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False)
    return charts._png(fig)


def study_report(frame: pd.DataFrame, fmt: str) -> bytes:
    """The study's front as ``"pdf"`` or ``"xlsx"`` bytes (from :func:`footprint.study.read_results`)."""
    f = str(fmt).lower().lstrip(".")
    if f not in REPORT_FORMATS:
        raise ValueError(
            f"unknown report format {fmt!r}; use one of: {', '.join(REPORT_FORMATS)}"
        )
    frame = frame.sort_values("point", kind="stable").reset_index(drop=True)
    on_front, knee = front(frame)
    tables = [
        info_table(frame),
        points_table(
            frame,
            on_front,
            "front",
            "The front (not beaten on emissions and mean commute)",
        ),
        points_table(frame),
    ]
    if f == "xlsx":
        from footprint.reports.xlsx import write_tables

        return write_tables(tables)
    return _pdf(frame, tables, on_front, knee)


def _pdf(
    frame: pd.DataFrame, tables: list[tb.Table], on_front: np.ndarray, knee: int | None
) -> bytes:
    from footprint.reports.pdf import ReportPDF

    name = str(frame["study"].iloc[0]) if len(frame) else "study"
    pdf = ReportPDF(f"Footprint study: {name}", orientation="L")
    pdf.h1(f"Study: {name}")
    pdf.data_table(tables[0], widths=(60, 200))
    if knee is not None:
        k = frame.iloc[knee]
        pdf.para(
            f"Knee of the front: point {int(k['point'])} ({k['point_key']}): {float(k['total_tco2e']):,.1f} "
            f"t CO₂e/yr, mean one-way commute {float(k['mean_commute_km']):,.1f} km, {int(k['n_hubs'])} hubs."
        )
    pdf.para(
        f"{on_front.size} of {int(frame['feasible'].sum()) if len(frame) else 0} feasible points are on the "
        f"front. Generated {date.today().isoformat()} by Footprint.",
        size=8,
    )
    if on_front.size:
        pdf.png(
            interval_chart(frame, on_front, knee),
            200,
            "Total emissions of every feasible point (bars: 90 % interval of the Monte Carlo draws) against "
            "mean one-way commute; the line joins the front.",
        )
    for table in tables[1:]:
        pdf.h1(table.title)
        widths = [max(12.0, c.width) for c in table.columns]
        scale = pdf.body_width / sum(widths)
        pdf.data_table(table, widths=[w * scale for w in widths])
        pdf.para(table.note, size=8)
    return bytes(pdf.output())
