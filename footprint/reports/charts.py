"""Report charts: matplotlib (Agg, no browser, no network) → PNG bytes.

Colours are the Okabe–Ito palette, safe for the common colour-vision
deficiencies; "before" and "after" also differ in lightness and hatching so a
grey-scale print still tells them apart. Every axis carries its unit.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from footprint.accounting import CATEGORIES
from footprint.geo.outline import COASTLINE_SOURCE, coastline
from footprint.reports.tables import distribution_table, unique_names
from footprint.scenario.run import ScenarioResult

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
BEFORE, AFTER = OKABE_ITO["sky"], OKABE_ITO["blue"]
SCOPE_COLOURS = (OKABE_ITO["orange"], OKABE_ITO["sky"], OKABE_ITO["blue"])
LAND, COAST = "#EDEDED", "#9A9A9A"
DPI = 150
T_AXIS = "Emissions [t CO₂e/yr]"


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _short(category: str) -> str:
    """``"Scope 3 cat. 7: commuting"`` → ``"S3 cat. 7: commuting"``."""
    return category.replace("Scope ", "S", 1)


def _thousands(ax: Any, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def category_chart(result: ScenarioResult) -> bytes:
    """Footprint by category, baseline and scenario side by side (horizontal bars). [PNG]"""
    base, fp = result.baseline.by_category(), result.footprint.by_category()
    y = np.arange(len(CATEGORIES))[::-1]
    fig = _figure(7.0, 3.6)
    ax = fig.add_subplot()
    h = 0.38
    ax.barh(y + h / 2, [base[c] / 1000 for c in CATEGORIES], h, color=BEFORE, label=f"Baseline: {result.baseline_name}")
    ax.barh(y - h / 2, [fp[c] / 1000 for c in CATEGORIES], h, color=AFTER, hatch="//", edgecolor="white",
            linewidth=0, label=f"Scenario: {result.scenario.name}")
    ax.set_yticks(y, [_short(c) for c in CATEGORIES], fontsize=8)
    ax.set_xlabel(T_AXIS)
    _thousands(ax)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    return _png(fig)


def commute_chart(result: ScenarioResult) -> bytes:
    """Staff by one-way commute distance band, baseline and scenario. [PNG]"""
    table = distribution_table(result)
    rows = [r for r in table.rows if r[1] is not None]
    labels = [r[0].replace(" km or more", "+").replace(" km", "") for r in rows]
    x = np.arange(len(rows))
    fig = _figure(7.0, 3.0)
    ax = fig.add_subplot()
    w = 0.4
    ax.bar(x - w / 2, [r[3] for r in rows], w, color=BEFORE, label="Baseline")
    ax.bar(x + w / 2, [r[4] for r in rows], w, color=AFTER, hatch="//", edgecolor="white", linewidth=0,
           label="Scenario")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_xlabel("One-way commute distance [km]")
    ax.set_ylabel("Staff [people]")
    _thousands(ax, "y")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    remote = table.rows[-1]
    ax.legend(fontsize=8, frameon=False, title=f"Remote workers: {remote[3]:,.0f} → {remote[4]:,.0f}",
              title_fontsize=8)
    return _png(fig)


def hub_map(result: ScenarioResult) -> bytes:
    """Map of hubs (kept and new, sized by staff) and closed offices over an offline coastline. [PNG]"""
    sites = result.organisation.sites
    lat, lon = np.asarray(sites.lat, float), np.asarray(sites.lon, float)
    after, before = result.footprint.sites.open, result.baseline.sites.open
    staff = result.footprint.sites.staff
    pad_lat = max(0.5, 0.08 * float(np.ptp(lat)))
    pad_lon = max(0.5, 0.08 * float(np.ptp(lon)))
    bbox = (float(lon.min() - pad_lon), float(lat.min() - pad_lat), float(lon.max() + pad_lon),
            float(lat.max() + pad_lat))
    aspect = 1.0 / max(0.2, np.cos(np.radians(float(lat.mean()))))
    height = 6.2
    width = min(7.0, max(4.0, height * (bbox[2] - bbox[0]) / ((bbox[3] - bbox[1]) * aspect) + 1.2))
    fig = _figure(width, height)
    ax = fig.add_subplot()
    ax.set_facecolor("#F7FBFF")
    for poly in coastline(bbox):
        ax.add_patch(Polygon(poly, closed=True, facecolor=LAND, edgecolor=COAST, linewidth=0.4, zorder=1))
    closed = before & ~after
    ax.scatter(lon[closed], lat[closed], s=10, marker="x", color=OKABE_ITO["vermillion"], linewidths=0.8,
               label=f"Closed office ({int(closed.sum())})", zorder=2)
    for sel, colour, marker, label in ((after & before, OKABE_ITO["blue"], "o", "Hub, kept office"),
                                       (after & ~before, OKABE_ITO["green"], "D", "Hub, new site")):
        if sel.any():
            size = 12 + 260 * np.sqrt(staff[sel] / max(float(staff[after].max()), 1.0))
            ax.scatter(lon[sel], lat[sel], s=size, marker=marker, facecolor=colour, edgecolor="white",
                       linewidths=0.6, alpha=0.85, label=f"{label} ({int(sel.sum())})", zorder=3)
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.set_aspect(aspect)
    ax.set_xlabel("Longitude [°]")
    ax.set_ylabel("Latitude [°]")
    ax.tick_params(labelsize=8)
    leg = ax.legend(fontsize=8, loc="upper left", framealpha=0.9, markerscale=0.6)
    leg.set_title("Marker area ∝ staff per hub", prop={"size": 7})
    ax.text(0.99, 0.005, COASTLINE_SOURCE, transform=ax.transAxes, fontsize=4.5, ha="right", va="bottom",
            color="#555555", wrap=True)
    return _png(fig)


def _get(point: Any, name: str) -> Any:
    return point[name] if isinstance(point, dict) else getattr(point, name)


def pareto_chart(sweep: Any) -> bytes:
    """Total footprint against mean commute of a hub-count sweep, knee marked. [PNG]

    ``sweep`` has ``points`` (objects or dicts with ``n_hubs``, ``total_tco2e``,
    ``mean_commute_km``) and optionally ``knee_index``.
    """
    pts: Sequence[Any] = list(sweep.points)
    n = [int(_get(p, "n_hubs")) for p in pts]
    tco2e = np.array([float(_get(p, "total_tco2e")) for p in pts])
    km = np.array([float(_get(p, "mean_commute_km")) for p in pts])
    order = np.argsort(km)
    fig = _figure(7.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(km[order], tco2e[order], color=OKABE_ITO["blue"], marker="o", markersize=4, linewidth=1.2)
    for k in range(len(pts)):
        ax.annotate(f"{n[k]}", (km[k], tco2e[k]), textcoords="offset points", xytext=(4, 4), fontsize=7)
    knee = getattr(sweep, "knee_index", None)
    if knee is not None and 0 <= int(knee) < len(pts):
        k = int(knee)
        ax.scatter([km[k]], [tco2e[k]], s=120, facecolor="none", edgecolor=OKABE_ITO["vermillion"], linewidths=1.6,
                   label=f"Knee: {n[k]} hubs", zorder=3)
        ax.legend(fontsize=8, frameon=False)
    ax.set_xlabel("Mean one-way commute [km]")
    ax.set_ylabel(T_AXIS)
    _thousands(ax, "y")
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Pareto front: labels are numbers of hubs", fontsize=9)
    return _png(fig)


def comparison_chart(results: list[ScenarioResult]) -> bytes:
    """Total footprint of each scenario stacked by scope. [PNG]"""
    names = unique_names(results)
    x = np.arange(len(results))
    fig = _figure(7.0, 3.4)
    ax = fig.add_subplot()
    bottom = np.zeros(len(results))
    for scope, colour, hatch in zip(("Scope 1", "Scope 2", "Scope 3"), SCOPE_COLOURS, ("", "..", "//"),
                                    strict=True):
        vals = np.array([r.footprint.by_scope()[scope] / 1000 for r in results])
        ax.bar(x, vals, 0.6, bottom=bottom, color=colour, hatch=hatch, edgecolor="white", linewidth=0.5,
               label=scope)
        bottom += vals
    for k, total in enumerate(bottom):
        ax.annotate(f"{total:,.0f}", (x[k], total), textcoords="offset points", xytext=(0, 3), ha="center",
                    fontsize=8)
    ax.set_xticks(x, [_wrap(n) for n in names], fontsize=8)
    ax.set_ylabel(T_AXIS)
    ax.set_ylim(0, float(bottom.max()) * 1.12 if bottom.max() > 0 else 1.0)
    _thousands(ax, "y")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    return _png(fig)


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:3]) or " "


def waterfall_chart(attribution: Any) -> bytes:
    """What drives the change: baseline, each lever's effect, scenario (a waterfall). [PNG]"""
    bars = attribution.waterfall()
    fig = _figure(7.0, 3.4)
    ax = fig.add_subplot()
    x = np.arange(len(bars))
    for i, (_label, start, end, value) in enumerate(bars):
        total = i in (0, len(bars) - 1)
        colour = OKABE_ITO["sky"] if total else (OKABE_ITO["green"] if value < 0 else OKABE_ITO["vermillion"])
        lo, hi = min(start, end), max(start, end)
        ax.bar(i, hi - lo, bottom=lo, color=colour, hatch="" if total or value < 0 else "//", edgecolor="white",
               linewidth=0)
        ax.annotate(f"{value:+,.0f}" if not total else f"{value:,.0f}", (i, hi), ha="center", va="bottom",
                    fontsize=7, xytext=(0, 2), textcoords="offset points")
        if i < len(bars) - 1:
            ax.plot([i + 0.4, i + 0.6], [end, end], color="#777777", linewidth=0.6)
    ax.set_xticks(x, [_wrap(b[0], 16) for b in bars], fontsize=7)
    ax.set_ylabel(T_AXIS)
    _thousands(ax, "y")
    low = min(min(b[1], b[2]) for b in bars[1:-1]) if len(bars) > 2 else 0.0
    ax.set_ylim(max(0.0, 0.9 * min(low, bars[-1][2], bars[0][2])), None)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def price_front_chart(front: Any) -> bytes:
    """The carbon–cost front of a carbon-price sweep: cost against emissions, prices labelled, knee marked. [PNG]

    ``front`` has ``points`` (each with ``price_gbp_per_t``, ``tco2e`` [t CO2e/yr] and
    ``cost_gbp`` [GBP/yr]), ``knee`` and optionally ``budget_gbp`` [GBP/yr], drawn as a line.
    """
    pts = list(front.points)
    t = np.array([p.tco2e for p in pts])
    m = np.array([p.cost_gbp for p in pts]) / 1e6
    on = np.asarray(front.on_front(), dtype=bool) if hasattr(front, "on_front") else np.ones(len(pts), bool)
    order = np.flatnonzero(on)[np.argsort(t[on])]
    fig = _figure(7.0, 3.4)
    ax = fig.add_subplot()
    ax.plot(t[order], m[order], color=OKABE_ITO["blue"], marker="o", markersize=4, linewidth=1.2, label="Front")
    if not on.all():
        ax.scatter(t[~on], m[~on], s=16, facecolor="none", edgecolor=OKABE_ITO["blue"], linewidths=1.0,
                   label="Dominated (another price's plan beats it on both)")
    for p, x, y in zip(pts, t, m, strict=True):
        ax.annotate(f"£{p.price_gbp_per_t:,.0f}/t", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    if front.knee is not None:
        k = int(front.knee)
        ax.scatter([t[k]], [m[k]], s=120, facecolor="none", edgecolor=OKABE_ITO["vermillion"], linewidths=1.6,
                   label=f"Knee: £{pts[k].price_gbp_per_t:,.0f}/t", zorder=3)
    budget = getattr(front, "budget_gbp", None)
    if budget is not None:
        ax.axhline(budget / 1e6, color=OKABE_ITO["orange"], linestyle="--", linewidth=1.0, label="Annual budget")
    ax.legend(fontsize=7, frameon=False)
    ax.set_xlabel(T_AXIS)
    ax.set_ylabel("Cost to the organisation [£m/yr]")
    _thousands(ax, "x")
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Carbon–cost front: labels are carbon prices", fontsize=9)
    return _png(fig)
